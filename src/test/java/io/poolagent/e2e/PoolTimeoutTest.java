package io.poolagent.e2e;

import io.poolagent.harness.AppUnderTest;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a borrower sees when pool_timeout runs out: which of "exhausted" and "unreachable" it was, and the numbers. */
class PoolTimeoutTest extends DatabaseTest {


    @Test
    void anExhaustedPoolTimesOutWithTheLimitTheTimeoutAndTheCounts() throws Exception {
        try (AppUnderTest app = AppUnderTest.connectPerRequest()
                .databaseUrl(db.databaseUrl("connection_limit=1&pool_timeout=1")).withAgent().start()) {
            CompletableFuture<AppUnderTest.Response> holder = CompletableFuture.supplyAsync(() -> app.get("/work?hold_ms=4000"));
            awaitActiveConnection();
            AppUnderTest.Response starved = app.get("/work?hold_ms=10");
            assertEquals(500, starved.status(), starved.body());
            String body = starved.body();
            assertTrue(body.startsWith("SQLSTATE=null pool-agent: timed out after 1"), body);
            assertTrue(body.contains("connection limit 1, pool timeout 1s; active 1, idle 0, waiting 0"), body);
            assertTrue(body.contains("The pool is exhausted"), body);
            assertEquals(200, holder.get().status(), "the holder itself is unaffected");
            assertEquals(200, app.get("/work?hold_ms=10").status(), "once returned, the connection serves again");
        }
    }

    @Test
    void anUnreachableDatabaseTimesOutWithTheConnectFailureAsCause() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String url = "postgresql://app:pw@127.0.0.1:" + closedPort + "/app?pool_timeout=1";
        try (AppUnderTest app = AppUnderTest.connectPerRequest().databaseUrl(url).env("APP_CREATE_SCHEMA", "false")
                .withAgent().start()) {
            AppUnderTest.Response r = app.get("/work?hold_ms=10");
            assertEquals(500, r.status(), r.body());
            assertTrue(r.body().startsWith("SQLSTATE=08001 pool-agent: timed out after 1"), r.body());
            assertTrue(r.body().contains("The database could not be reached"), r.body());
            assertTrue(r.body().contains("Connection to 127.0.0.1:" + closedPort + " refused"), r.body());
        }
    }

    /** Waits until the holder's connection is open on the server, so the next request must queue. */
    private static void awaitActiveConnection() throws Exception {
        try (var admin = db.openAdmin();
             var ps = admin.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE usename = ? AND state = 'active'")) {
            ps.setString(1, db.appUser());
            for (int i = 0; i < 500; i++) {
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(10);
            }
        }
        throw new AssertionError("the holding request never reached the database");
    }
}
