package io.poolagent.e2e;

import io.poolagent.harness.AppUnderTest;
import io.poolagent.harness.ConnectionSampler;
import io.poolagent.harness.LoadResult;
import io.poolagent.harness.LoadRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An app that pools already, with HikariCP (hikari-app). Under the agent Hikari gets real pgjdbc connections, not
 * the agent's pooled handles, but the agent counts them: the server never sees more than max_db_connections of
 * the app's connections, here the default, connection_limit=15, while Hikari asks for 30. Without the agent it
 * sees Hikari's 30, so these tests can fail.
 */
class ExistingPoolTest extends DatabaseTest {

    private static final int CAP = 15;
    private static final String PG_CONNECTION = "org.postgresql.jdbc.PgConnection";

    private static AppUnderTest.Builder app(String query) {
        return AppUnderTest.app("hikari-app").databaseUrl(db.databaseUrl(query));
    }

    private static LoadResult load(AppUnderTest app, String path, int clients, int requests) {
        LoadResult r = new LoadRunner().run(app.uri(path), clients, requests);
        assertEquals(0, r.failed(), r.summary() + " " + r.sampleFailures() + "\n" + app.stderr());
        return r;
    }

    @Test
    void withoutTheAgentHikariOpensItsThirty() throws Exception {
        try (AppUnderTest app = app("").start();
             Connection admin = db.openAdmin();
             ConnectionSampler sampler = new ConnectionSampler(admin, db.appUser())) {
            load(app, "/work?hold_ms=300", 40, 2);
            assertTrue(sampler.peak() > CAP, "Hikari should have opened more than " + CAP + ", saw " + sampler.peak());
        }
    }

    @Test
    void hikariGetsRealConnectionsAndTheServerSeesAtMostTheCap() throws Exception {
        try (AppUnderTest app = app("connection_limit=" + CAP).withAgent().start();
             Connection admin = db.openAdmin();
             ConnectionSampler sampler = new ConnectionSampler(admin, db.appUser())) {
            assertEquals(PG_CONNECTION, app.get("/class").body(), "behind Hikari's proxy: the driver's connection");
            load(app, "/work?hold_ms=300", 40, 2);
            int peak = sampler.peak();
            assertTrue(peak <= CAP, "the server saw " + peak + " connections; max_db_connections " + CAP);
            assertEquals(CAP, peak, "40 waiting requests should have grown Hikari to the cap");
            assertFalse(app.stderr().contains("INFO pool "), "no pool of the agent's own:\n" + app.stderr());
            String key = db.host() + ":" + db.port() + "/" + db.database();
            assertTrue(app.stderr().contains("[pool-agent] INFO HikariCP opens its own connections to " + key
                    + ": they are not pooled again, and count against max_db_connections=" + CAP), app.stderr());
        }
    }

    /**
     * DBCP2 and c3p0 (default settings but 30 connections) through the same app. Both call the driver's connect
     * themselves: DBCP2 on the borrowing thread, c3p0 on its helper threads. Without the agent they open more than
     * the cap; under it they get real connections, and the server never sees more than the cap. Their connects
     * beyond it wait pool_timeout (2 s here), then fail naming the cap and the holders. DBCP2 hands that failure to
     * the borrower that was connecting: about half of the 40 requests fail, with that message. c3p0 retries in the
     * background, so every request succeeds, but slowly: its three helper threads, which also take connections
     * back, spend their time waiting at the cap (the README says to size such pools within the cap).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dbcp2", "c3p0"})
    void otherPoolsGetRealConnectionsAndTheServerSeesAtMostTheCap(String pool) throws Exception {
        String name = pool.equals("dbcp2") ? "DBCP2" : "c3p0";
        try (AppUnderTest app = app("").env("APP_POOL", pool).start();
             Connection admin = db.openAdmin();
             ConnectionSampler sampler = new ConnectionSampler(admin, db.appUser())) {
            new LoadRunner().run(app.uri("/work?hold_ms=300"), 40, 1);
            assertTrue(sampler.peak() > CAP, name + " without the agent: " + sampler.peak());
        }
        try (AppUnderTest app = app("connection_limit=" + CAP + "&pool_timeout=2").env("APP_POOL", pool)
                .withAgent().start();
             Connection admin = db.openAdmin();
             ConnectionSampler sampler = new ConnectionSampler(admin, db.appUser())) {
            assertEquals(PG_CONNECTION, app.get("/class").body(), "behind " + name + "'s proxy");
            LoadResult r = new LoadRunner().run(app.uri("/work?hold_ms=300"), 40, 1);
            int peak = sampler.peak();
            assertTrue(peak <= CAP, "the server saw " + peak + " connections; max_db_connections " + CAP);
            assertEquals(CAP, peak, "40 waiting requests should have grown " + name + " to the cap");
            if (pool.equals("c3p0")) {
                assertEquals(0, r.failed(), r.summary() + " " + r.sampleFailures() + "\n" + app.stderr());
            }
            for (String failure : r.sampleFailures(100)) {
                assertTrue(failure.contains("max_db_connections=" + CAP) && failure.contains(name + ": " + CAP),
                        failure);
            }
            String key = db.host() + ":" + db.port() + "/" + db.database();
            assertTrue(app.stderr().contains("[pool-agent] INFO " + name + " opens its own connections to " + key
                    + ": they are not pooled again, and count against max_db_connections=" + CAP), app.stderr());
            assertFalse(app.stderr().contains("INFO pool "), "no pool of the agent's own:\n" + app.stderr());
        }
    }

    /** Hikari over PGSimpleDataSource: the DataSource, not Hikari, calls DriverManager. */
    @Test
    void hikariOverADataSourceIsRecognisedToo() throws Exception {
        try (AppUnderTest app = app("connection_limit=" + CAP).env("HIKARI_VIA", "datasource").withAgent().start();
             Connection admin = db.openAdmin();
             ConnectionSampler sampler = new ConnectionSampler(admin, db.appUser())) {
            assertEquals(PG_CONNECTION, app.get("/class").body());
            load(app, "/work?hold_ms=300", 40, 1);
            assertTrue(sampler.peak() <= CAP, "the server saw " + sampler.peak() + "; max_db_connections " + CAP);
        }
    }

    /** The bug pattern: a new HikariDataSource (maximumPoolSize 2) for every request, closed after it. */
    @Test
    void aPoolPerRequestStaysUnderTheCap() throws Exception {
        int cap = 6;
        try (AppUnderTest app = app("connection_limit=" + cap).withAgent().start();
             Connection admin = db.openAdmin();
             ConnectionSampler sampler = new ConnectionSampler(admin, db.appUser())) {
            load(app, "/fresh?hold_ms=100", 20, 2);
            int peak = sampler.peak();
            assertTrue(peak <= cap, "the server saw " + peak + " connections; max_db_connections " + cap);
        }
    }

    @Test
    void withoutTheAgentAPoolPerRequestExceedsIt() throws Exception {
        try (AppUnderTest app = app("").start();
             Connection admin = db.openAdmin();
             ConnectionSampler sampler = new ConnectionSampler(admin, db.appUser())) {
            load(app, "/fresh?hold_ms=100", 20, 2);
            assertTrue(sampler.peak() > 6, "saw " + sampler.peak());
        }
    }

    /**
     * Our own pool and Hikari compete for one database: Hikari keeps its connections (minimumIdle = its maximum),
     * so a plain DriverManager request waits pool_timeout and is told who holds the cap.
     */
    @Test
    void whenHikariHoldsTheCapOurPoolsBorrowerIsToldWhy() throws Exception {
        try (AppUnderTest app = app("connection_limit=" + CAP + "&pool_timeout=2").withAgent().start();
             Connection admin = db.openAdmin();
             ConnectionSampler sampler = new ConnectionSampler(admin, db.appUser())) {
            load(app, "/work?hold_ms=300", 40, 1);
            AppUnderTest.Response direct = app.get("/direct");
            assertEquals(500, direct.status(), direct.body());
            String key = db.host() + ":" + db.port() + "/" + db.database();
            assertTrue(direct.body().contains("max_db_connections=" + CAP), direct.body());
            assertTrue(direct.body().contains("database " + key), direct.body());
            assertTrue(direct.body().contains("HikariCP: " + CAP), direct.body());
            assertTrue(sampler.peak() <= CAP, "the server saw " + sampler.peak() + "; max_db_connections " + CAP);
        }
    }
}
