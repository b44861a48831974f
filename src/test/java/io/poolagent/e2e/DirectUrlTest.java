package io.poolagent.e2e;

import io.poolagent.harness.AppUnderTest;
import io.poolagent.harness.PgBouncer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DIRECT_URL: an app that migrates with Flyway (or Liquibase) at start-up through its DATABASE_URL, which points at
 * PgBouncer in transaction mode, and then serves through the pool. PgBouncer marks each of its server sessions
 * (test.via = pgbouncer, see {@link PgBouncer#VIA_QUERY}), and the migration records what its own session saw.
 */
class DirectUrlTest extends DatabaseTest {

    private static final String APP = "migrate-then-serve";

    /** Each test migrates a database that has never been migrated. */
    @BeforeEach
    void unmigrated() throws Exception {
        try (Connection admin = db.openAdmin(); Statement s = admin.createStatement()) {
            s.execute("DROP TABLE IF EXISTS flyway_schema_history, databasechangelog, databasechangeloglock,"
                    + " migration_origin, notes");
        }
    }

    @Test
    void flywayMigratesThroughDirectUrlWhileRequestsGoThroughPgBouncer() throws Exception {
        try (PgBouncer bouncer = PgBouncer.start(db, 2);
             AppUnderTest app = AppUnderTest.app(APP).databaseUrl(bouncer.databaseUrl("pgbouncer=true"))
                     .env("DIRECT_URL", db.databaseUrl("")).withAgent().start()) {
            // Flyway names its own connections, and the agent keeps an application's own name
            assertEquals("via=null client_addr=127.0.0.1/32 application_name=Redgate_Flyway", app.get("/origin").body(),
                    "the migration's session was a direct one, not PgBouncer's\n" + app.stderr());
            assertEquals("pgbouncer", app.get("/setting?name=test.via").body(), "requests go through PgBouncer");
            assertEquals("1", app.get("/note").body());
            assertTrue(app.stderr().contains("a migration tool (org.flywaydb."), app.stderr());
            assertTrue(app.stderr().contains("sent to DIRECT_URL postgresql://" + db.appUser() + ":***@"), app.stderr());
        }
    }

    /** Liquibase opens its connection itself, as its command line and build plugins do. */
    @Test
    void liquibaseMigratesThroughDirectUrlToo() throws Exception {
        try (PgBouncer bouncer = PgBouncer.start(db, 2);
             AppUnderTest app = AppUnderTest.app(APP).databaseUrl(bouncer.databaseUrl("pgbouncer=true"))
                     .env("MIGRATE_WITH", "liquibase").env("DIRECT_URL", db.databaseUrl("")).withAgent().start()) {
            String origin = app.get("/origin").body();
            assertTrue(origin.startsWith("via=null client_addr=127.0.0.1/32 "),
                    "the migration's session was a direct one, not PgBouncer's: " + origin + "\n" + app.stderr());
            assertEquals("pgbouncer", app.get("/setting?name=test.via").body(), "requests go through PgBouncer");
            assertEquals("1", app.get("/note").body());
            assertTrue(app.stderr().contains("a migration tool (liquibase."), app.stderr());
        }
    }

    /** The negative control: without DIRECT_URL the same migration runs on a PgBouncer session. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"flyway", "liquibase"})
    void withoutDirectUrlTheMigrationGoesThroughPgBouncer(String tool) throws Exception {
        try (PgBouncer bouncer = PgBouncer.start(db, 2);
             AppUnderTest app = AppUnderTest.app(APP).databaseUrl(bouncer.databaseUrl("pgbouncer=true"))
                     .env("MIGRATE_WITH", tool).withAgent().start()) {
            assertTrue(app.get("/origin").body().startsWith("via=pgbouncer "), app.get("/origin").body());
        }
    }
}
