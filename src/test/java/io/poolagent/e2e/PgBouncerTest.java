package io.poolagent.e2e;

import io.poolagent.harness.AppUnderTest;
import io.poolagent.harness.PgBouncer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * pgbouncer=true against a real PgBouncer (Debian's, 1.18: no protocol-level prepared statements). Each test gets
 * its own PgBouncer, because PgBouncer in transaction mode leaves server sessions as the last client left them.
 */
class PgBouncerTest extends DatabaseTest {

    /** Schema and options given in the app's own JDBC URL: startup parameters that PgBouncer refuses. */
    private static final String SCHEMA_AND_OPTIONS = "currentSchema=app_s,public&options=-c%20statement_timeout%3D4321";

    /**
     * Four requests at a time, each holding its own connection for a moment and then running one prepared statement
     * ten times; through a PgBouncer with one server connection, all four end on the same server session.
     */
    private static List<AppUnderTest.Response> preparedBursts(AppUnderTest app, int rounds) {
        List<AppUnderTest.Response> all = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            List<CompletableFuture<AppUnderTest.Response>> burst = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                burst.add(CompletableFuture.supplyAsync(() -> app.get("/prepared?n=10&hold_ms=300")));
            }
            burst.forEach(f -> all.add(f.join()));
        }
        return all;
    }

    @Test
    void withPgbouncerTruePreparedStatementsAndASchemaWorkInTransactionMode() throws Exception {
        try (PgBouncer bouncer = PgBouncer.start(db, 1);
             AppUnderTest app = AppUnderTest.connectPerRequest()
                     .databaseUrl(bouncer.databaseUrl("pgbouncer=true&connection_limit=4"))
                     .env("APP_JDBC_QUERY", SCHEMA_AND_OPTIONS).withAgent().start()) {
            List<AppUnderTest.Response> responses = preparedBursts(app, 5);
            for (AppUnderTest.Response r : responses) {
                assertEquals(200, r.status(), r.body() + "\nPgBouncer log:\n" + bouncer.log());
                assertEquals("55", r.body());
            }
            List<String> clients = bouncer.clientApplicationNames();
            // PgBouncer 1.18 shows the application_name of some clients only; those it shows are the app's
            assertEquals(4, clients.size(), "four pooled connections were PgBouncer's clients: " + clients);
            assertTrue(clients.stream().allMatch(n -> n.isEmpty() || n.equals("connect-per-request")), clients.toString());
            assertTrue(app.stderr().contains("pgbouncer=true (DATABASE_URL)"), app.stderr());
        }
    }

    /** The negative control: the same app and PgBouncer without pgbouncer=true. */
    @Test
    void withoutPgbouncerTruePreparedStatementsCollideOnTheSharedServerSession() throws Exception {
        try (PgBouncer bouncer = PgBouncer.start(db, 1);
             AppUnderTest app = AppUnderTest.connectPerRequest()
                     .databaseUrl(bouncer.databaseUrl("connection_limit=4")).withAgent().start()) {
            List<AppUnderTest.Response> responses = preparedBursts(app, 2);
            assertTrue(responses.stream().anyMatch(r -> r.status() == 500 && r.body().startsWith("SQLSTATE=42P05")),
                    "expected prepared statement \"S_1\" already exists: " + responses);
        }
    }

    /**
     * The override for PgBouncer 1.21+, which keeps prepared statements itself: the app's own prepareThreshold wins
     * over pgbouncer=true. This PgBouncer (1.18) cannot, so the statements collide again, which shows the app's
     * value reached the driver.
     */
    @Test
    void anExplicitPrepareThresholdWinsOverPgbouncerTrue() throws Exception {
        try (PgBouncer bouncer = PgBouncer.start(db, 1);
             AppUnderTest app = AppUnderTest.connectPerRequest()
                     .databaseUrl(bouncer.databaseUrl("pgbouncer=true&connection_limit=4"))
                     .env("APP_JDBC_QUERY", "prepareThreshold=5").withAgent().start()) {
            List<AppUnderTest.Response> responses = preparedBursts(app, 2);
            assertTrue(responses.stream().anyMatch(r -> r.status() == 500 && r.body().startsWith("SQLSTATE=42P05")),
                    "expected prepared statement \"S_1\" already exists: " + responses);
        }
    }

    /** The negative control for startup parameters: PgBouncer refuses the app's schema and options. */
    @Test
    void withoutPgbouncerTrueASchemaInTheUrlIsRefusedByPgBouncer() throws Exception {
        try (PgBouncer bouncer = PgBouncer.start(db, 1);
             AppUnderTest app = AppUnderTest.connectPerRequest()
                     .databaseUrl(bouncer.databaseUrl("connection_limit=4")).env("APP_CREATE_SCHEMA", "false")
                     .env("APP_JDBC_QUERY", SCHEMA_AND_OPTIONS).withAgent().start()) {
            AppUnderTest.Response r = app.get("/prepared?n=1");
            assertEquals(500, r.status(), r.body());
            assertTrue(r.body().contains("08P01") && r.body().contains("unsupported startup parameter"), r.body());
        }
    }

    /**
     * In session mode the schema and options moved out of the startup packet hold for the whole session, as they
     * would have as startup parameters. The app hands its postgresql:// DATABASE_URL straight to DriverManager.
     */
    @Test
    void aSchemaAndOptionsAreSetAfterConnectingAndALibpqUrlConnects() throws Exception {
        try (var admin = db.openAdmin(); var s = admin.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS app_s AUTHORIZATION " + db.appUser());
        }
        try (PgBouncer bouncer = PgBouncer.start(db, "session", 2);
             AppUnderTest app = AppUnderTest.connectPerRequest()
                     .databaseUrl(bouncer.databaseUrl("pgbouncer=true&connection_limit=2&schema=app_s"
                             + "&options=-c%20statement_timeout%3D4321"))
                     .env("APP_URL_STYLE", "raw").withAgent().start()) {
            assertEquals("app_s", app.get("/setting?name=search_path").body());
            assertEquals("4321ms", app.get("/setting?name=statement_timeout").body());
            assertEquals("pgbouncer", app.get("/setting?name=test.via").body(), "through PgBouncer");
            assertEquals("55", app.get("/prepared?n=10").body());
        }
    }
}
