package io.poolagent.e2e;

import io.poolagent.harness.AppUnderTest;
import io.poolagent.harness.ConnectionSampler;
import io.poolagent.harness.LoadResult;
import io.poolagent.harness.LoadRunner;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DataSources that open a new physical connection on every call, driven by the unmodified datasource-app:
 * pgjdbc's PGSimpleDataSource (it calls DriverManager) and H2's JdbcDataSource (it builds its connection itself,
 * past every driver), each through getConnection() and getConnection(user, password). Under the agent their
 * connections are reused (the same PostgreSQL backend, the same H2 session, request after request) and bounded
 * under concurrency; without it every request opens a new one.
 */
class DataSourceTest extends DatabaseTest {

    private static final int LIMIT = 4;
    private static final int CLIENTS = 16;

    private static AppUnderTest start(boolean agent) {
        AppUnderTest.Builder b = AppUnderTest.app("datasource-app")
                .databaseUrl(db.databaseUrl("connection_limit=" + LIMIT + "&pool_timeout=60"));
        return (agent ? b.withAgent() : b).start();
    }

    private static Set<String> sequential(AppUnderTest app, String path, int times) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < times; i++) {
            AppUnderTest.Response r = app.get(path);
            assertEquals(200, r.status(), path + ": " + r.body() + "\n" + app.stderr());
            seen.add(r.body().split(" ")[0]);
        }
        return seen;
    }

    /** Several loads at once, all of which must succeed. */
    private static void concurrently(AppUnderTest app, String... paths) {
        List<CompletableFuture<LoadResult>> loads = new ArrayList<>();
        for (String p : paths) {
            loads.add(CompletableFuture.supplyAsync(() -> new LoadRunner().run(app.uri(p), CLIENTS, 2)));
        }
        for (CompletableFuture<LoadResult> f : loads) {
            LoadResult r = f.join();
            assertEquals(0, r.failed(), r.summary() + " " + r.sampleFailures() + "\n" + app.stderr());
        }
    }

    @Test
    void pgSimpleDataSourceConnectionsAreReusedAndBounded() throws Exception {
        try (AppUnderTest app = start(true);
             Connection admin = db.openAdmin();
             ConnectionSampler sampler = new ConnectionSampler(admin, db.appUser())) {
            Set<String> noArgs = sequential(app, "/pg?creds=false", 5);
            assertEquals(1, noArgs.size(), "getConnection(): one backend for five requests, saw pids " + noArgs);
            Set<String> withCreds = sequential(app, "/pg?creds=true", 5);
            assertEquals(1, withCreds.size(), "getConnection(user, password): one backend, saw pids " + withCreds);
            assertNotEquals("org.postgresql.jdbc.PgConnection", app.get("/class?db=pg").body(),
                    "the app should hold the agent's handle");

            concurrently(app, "/pg?creds=false&hold_ms=200", "/pg?creds=true&hold_ms=200");
            int peak = sampler.peak();
            assertTrue(peak <= LIMIT, "the server saw " + peak + " connections of the app; limit " + LIMIT);
        }
    }

    @Test
    void h2JdbcDataSourceConnectionsAreReusedAndBounded() {
        try (AppUnderTest app = start(true)) {
            Set<String> noArgs = sequential(app, "/h2?creds=false", 5);
            assertEquals(1, noArgs.size(), "getConnection(): one H2 session for five requests, saw " + noArgs);
            Set<String> withCreds = sequential(app, "/h2?creds=true", 5);
            assertEquals(1, withCreds.size(), "getConnection(user, password): one H2 session, saw " + withCreds);
            // A new JdbcDataSource configured like the first shares its pool.
            assertEquals(noArgs, sequential(app, "/h2?creds=false&fresh=true", 3));
            String handle = app.get("/class?db=h2").body();
            assertNotEquals("org.h2.jdbc.JdbcConnection", handle, "the app should hold the agent's handle");

            // Two pools (the two overloads) to one database: together they stay within max_db_connections.
            concurrently(app, "/h2?creds=false&hold_ms=200", "/h2?creds=true&hold_ms=200");
            int peak = Integer.parseInt(app.get("/h2-peak").body());
            assertTrue(peak <= LIMIT, "H2 saw " + peak + " sessions at once; max_db_connections " + LIMIT);
            assertTrue(app.stderr().contains("INFO pool sa@h2:mem:dsapp (JdbcDataSource.getConnection()): "),
                    app.stderr());
            assertTrue(app.stderr().contains("INFO pool sa@h2:mem:dsapp (JdbcDataSource.getConnection(user, password)): "),
                    app.stderr());
        }
    }

    /**
     * The rule for other DataSources: the app's own DirectH2DataSource builds H2 connections itself, and inherits
     * getConnection() from its superclass. It is pooled once named in pooled_datasources, and only then.
     */
    @Test
    void aDataSourceNamedInPooledDatasourcesIsPooled() {
        try (AppUnderTest app = AppUnderTest.app("datasource-app").databaseUrl(db.databaseUrl(""))
                .withAgent("pooled_datasources=app.DirectH2DataSource").start()) {
            Set<String> sessions = sequential(app, "/direct-h2", 5);
            assertEquals(1, sessions.size(), "one H2 session for five requests, saw " + sessions + "\n" + app.stderr());
        }
        try (AppUnderTest app = start(true)) {
            assertEquals(5, sequential(app, "/direct-h2", 5).size(), "not named, not pooled");
        }
    }

    @Test
    void withoutTheAgentEveryRequestOpensAConnection() throws Exception {
        try (AppUnderTest app = start(false);
             Connection admin = db.openAdmin();
             ConnectionSampler sampler = new ConnectionSampler(admin, db.appUser())) {
            assertEquals(5, sequential(app, "/pg?creds=false", 5).size());
            assertEquals(5, sequential(app, "/pg?creds=true", 5).size());
            assertEquals(5, sequential(app, "/h2?creds=false", 5).size());
            assertEquals(5, sequential(app, "/h2?creds=true", 5).size());
            assertEquals("org.postgresql.jdbc.PgConnection", app.get("/class?db=pg").body());
            assertEquals("org.h2.jdbc.JdbcConnection", app.get("/class?db=h2").body());

            concurrently(app, "/pg?creds=false&hold_ms=200", "/h2?creds=true&hold_ms=200");
            assertTrue(sampler.peak() > LIMIT, "unpooled, the server should see more than " + LIMIT);
            assertTrue(Integer.parseInt(app.get("/h2-peak").body()) > LIMIT, "unpooled, H2 should see more than " + LIMIT);
        }
    }
}
