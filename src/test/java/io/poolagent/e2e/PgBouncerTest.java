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
        return preparedBursts(app, "/prepared", rounds);
    }

    private static List<AppUnderTest.Response> preparedBursts(AppUnderTest app, String path, int rounds) {
        List<AppUnderTest.Response> all = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            List<CompletableFuture<AppUnderTest.Response>> burst = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                burst.add(CompletableFuture.supplyAsync(() -> app.get(path + (path.contains("?") ? "" : "?")
                        + "n=10&hold_ms=300")));
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

    /**
     * DataSources behind PgBouncer. PGSimpleDataSource connects through DriverManager, so it shares the pools (and the
     * pgbouncer=true handling) of DriverManager. The app's own DirectPgDataSource builds pgjdbc connections itself;
     * named in pooled_datasources it gets a DataSource pool, whose connections' startup the agent does not write:
     * pgbouncer=true turns server-side prepares off on each new connection instead. Without the flag, it collides.
     */
    @Test
    void withPgbouncerTrueDataSourcesPreparedStatementsWorkInTransactionMode() throws Exception {
        for (String path : List.of("/pg-prepared", "/pg-prepared?direct=true&")) {
            try (PgBouncer bouncer = PgBouncer.start(db, 1);
                 AppUnderTest app = AppUnderTest.app("datasource-app")
                         .databaseUrl(bouncer.databaseUrl("pgbouncer=true&connection_limit=4"))
                         .withAgent("pooled_datasources=app.DirectPgDataSource").start()) {
                for (AppUnderTest.Response r : preparedBursts(app, path, 5)) {
                    assertEquals(200, r.status(), path + ": " + r.body() + "\nPgBouncer log:\n" + bouncer.log());
                    assertEquals("55", r.body());
                }
                assertEquals(4, bouncer.clientApplicationNames().size(), path + ": four pooled connections");
            }
        }
        try (PgBouncer bouncer = PgBouncer.start(db, 1);
             AppUnderTest app = AppUnderTest.app("datasource-app")
                     .databaseUrl(bouncer.databaseUrl("connection_limit=4"))
                     .withAgent("pooled_datasources=app.DirectPgDataSource").start()) {
            List<AppUnderTest.Response> responses = preparedBursts(app, "/pg-prepared?direct=true&", 2);
            assertTrue(responses.stream().anyMatch(r -> r.status() == 500 && r.body().startsWith("ERROR 42P05")),
                    "without pgbouncer=true, expected prepared statement \"S_1\" already exists: " + responses);
        }
    }

    /** The DataSource's own prepareThreshold (PgBouncer 1.21+ keeps prepared statements) wins over pgbouncer=true. */
    @Test
    void aDataSourcesOwnPrepareThresholdWinsOverPgbouncerTrue() throws Exception {
        try (PgBouncer bouncer = PgBouncer.start(db, 1);
             AppUnderTest app = AppUnderTest.app("datasource-app")
                     .databaseUrl(bouncer.databaseUrl("pgbouncer=true&connection_limit=4"))
                     .withAgent("pooled_datasources=app.DirectPgDataSource")
                     .env("APP_PREPARE_THRESHOLD", "5").start()) {
            List<AppUnderTest.Response> responses = preparedBursts(app, "/pg-prepared?direct=true&", 2);
            assertTrue(responses.stream().anyMatch(r -> r.status() == 500 && r.body().startsWith("ERROR 42P05")),
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
            assertTrue(app.stderr().contains(
                    "set after connecting, as PgBouncer refuses them at startup: search_path, statement_timeout"),
                    "the pool's line says what moved: " + app.stderr());
        }
    }
}
