package io.poolagent.e2e;

import io.poolagent.harness.AppUnderTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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

    /**
     * connect_timeout bounds each physical connect: against a server that accepts the socket and never answers,
     * the driver alone would wait forever. With connect_timeout=1 the connect fails and the borrower gets the
     * pool_timeout error with that failure as cause.
     */
    @Test
    void connectTimeoutBoundsAConnectToAServerThatNeverAnswers() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept()); // keep it open, say nothing
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String url = "postgresql://app:pw@127.0.0.1:" + silent.getLocalPort()
                    + "/app?connect_timeout=1&pool_timeout=4";
            try (AppUnderTest app = AppUnderTest.connectPerRequest().databaseUrl(url).env("APP_CREATE_SCHEMA", "false")
                    .withAgent().start()) {
                AppUnderTest.Response r = app.get("/work?hold_ms=1");
                assertEquals(500, r.status(), r.body());
                assertTrue(r.body().startsWith("SQLSTATE=08001 pool-agent: timed out after 4"), r.body());
                assertTrue(r.body().contains("The database could not be reached"), r.body());
                assertTrue(!held.isEmpty(), "the pool should have reached the silent server");
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
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
