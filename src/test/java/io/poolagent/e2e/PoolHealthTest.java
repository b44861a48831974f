package io.poolagent.e2e;

import io.poolagent.harness.AppUnderTest;
import io.poolagent.harness.ConnectionSampler;
import io.poolagent.harness.LoadResult;
import io.poolagent.harness.LoadRunner;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dead, broken, idle and old connections, and a database that goes away and comes back: what the app sees.
 * With connection_limit=1 every request of the app runs on the one pooled connection, so /pid tells whether the
 * pool replaced it.
 */
class PoolHealthTest extends DatabaseTest {


    private static AppUnderTest app(String query) {
        return AppUnderTest.connectPerRequest().databaseUrl(db.databaseUrl(query)).withAgent().start();
    }

    @Test
    void anIdleConnectionKilledOnTheServerIsReplacedBeforeHandout() throws Exception {
        try (AppUnderTest app = app("connection_limit=1")) {
            String before = okBody(app, "/pid");
            terminate(Integer.parseInt(before));
            Thread.sleep(800); // idle longer than the validation window
            String after = okBody(app, "/pid");
            assertNotEquals(before, after, "a new backend should serve the request");
        }
    }

    @Test
    void aBorrowedConnectionKilledOnTheServerIsNotReused() throws Exception {
        try (AppUnderTest app = app("connection_limit=1")) {
            int pid = Integer.parseInt(okBody(app, "/pid"));
            CompletableFuture<AppUnderTest.Response> holder = CompletableFuture.supplyAsync(() -> app.get("/work?hold_ms=5000"));
            awaitActive(pid);
            terminate(pid);
            AppUnderTest.Response failed = holder.get();
            assertEquals(500, failed.status(), failed.body());
            assertTrue(failed.body().startsWith("SQLSTATE=57P01"), failed.body());
            // Straight away, inside the validation window: only eviction on return keeps the dead one out.
            String next = okBody(app, "/pid");
            assertNotEquals(Integer.toString(pid), next);
        }
    }

    @Test
    void idleConnectionsCloseAfterIdleTimeoutDownToMinIdle() throws Exception {
        try (AppUnderTest app = app("connection_limit=4&idle_timeout=1&min_idle=1");
             Connection admin = db.openAdmin();
             ConnectionSampler sampler = new ConnectionSampler(admin, db.appUser())) {
            LoadResult load = new LoadRunner().run(app.uri("/work?hold_ms=300"), 4, 2);
            assertEquals(0, load.failed(), load.summary());
            assertEquals(4, sampler.peak(), "four concurrent requests should have opened four connections");
            assertTrue(sampler.awaitAtMost(1, Duration.ofSeconds(10)), "idle connections not closed: " + sampler.last());
            Thread.sleep(2500);
            assertEquals(1, sampler.last(), "min_idle=1 keeps one connection open");
        }
    }

    @Test
    void connectionsAreRetiredAfterMaxLifetime() throws Exception {
        // Written with Prisma's name for max_lifetime, as a DATABASE_URL made for Prisma would have it.
        try (AppUnderTest app = app("connection_limit=1&max_connection_lifetime=3")) {
            String first = okBody(app, "/pid");
            String again = okBody(app, "/pid");
            if (!first.equals(again)) {
                // the connection opened at the app's start-up may just have reached its lifetime: take the new one
                first = again;
                again = okBody(app, "/pid");
            }
            assertEquals(first, again, "young connections are reused");
            Thread.sleep(3500);
            assertNotEquals(first, okBody(app, "/pid"), "a connection past max_lifetime is retired");
        }
    }

    @Test
    void afterTheDatabaseRestartsTheAppRecoversWithoutHelp() throws Exception {
        try (AppUnderTest app = app("connection_limit=5&pool_timeout=30")) {
            LoadRunner runner = new LoadRunner(Duration.ofMinutes(1));
            CompletableFuture<LoadResult> during = CompletableFuture.supplyAsync(
                    () -> runner.run(app.uri("/work?hold_ms=20"), 10, 60));
            Thread.sleep(300);
            db.restart();
            LoadResult underLoad = during.get();
            assertTrue(underLoad.ok() > 0, underLoad.summary());
            Thread.sleep(1000);
            LoadResult after = runner.run(app.uri("/work?hold_ms=20"), 10, 5);
            assertEquals(0, after.failed(), "once the database is back, every request succeeds: " + after.summary());
        }
    }

    @Test
    void aRefusingServerIsNotHammered() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        try (ServerSocket fake = new ServerSocket(0, 200, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!fake.isClosed()) {
                    try (Socket s = fake.accept()) {
                        attempts.incrementAndGet(); // and hang up: every connect fails at once
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String url = "postgresql://app:pw@127.0.0.1:" + fake.getLocalPort() + "/app?pool_timeout=3";
            try (AppUnderTest app = AppUnderTest.connectPerRequest().databaseUrl(url).env("APP_CREATE_SCHEMA", "false")
                    .withAgent().start()) {
                LoadResult result = new LoadRunner().run(app.uri("/work?hold_ms=1"), 10, 1);
                assertEquals(10, result.failed(), result.summary());
                assertTrue(result.sampleFailures(1).get(0).contains("The database could not be reached"),
                        result.sampleFailures(1).toString());
            }
        }
        // 10 borrowers for 3 s: back-off (10 ms doubling to 1 s) allows about a dozen attempts, a loop thousands.
        assertTrue(attempts.get() <= 30, "connect attempts: " + attempts.get());
        assertTrue(attempts.get() >= 3, "the pool should keep trying: " + attempts.get());
    }

    private static String okBody(AppUnderTest app, String path) {
        AppUnderTest.Response r = app.get(path);
        assertEquals(200, r.status(), r.body());
        return r.body().trim();
    }

    private static void terminate(int pid) throws Exception {
        try (Connection admin = db.openAdmin();
             PreparedStatement ps = admin.prepareStatement("SELECT pg_terminate_backend(?)")) {
            ps.setInt(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertTrue(rs.getBoolean(1), "could not terminate backend " + pid);
            }
        }
    }

    private static void awaitActive(int pid) throws Exception {
        try (Connection admin = db.openAdmin();
             PreparedStatement ps = admin.prepareStatement("SELECT state FROM pg_stat_activity WHERE pid = ?")) {
            ps.setInt(1, pid);
            for (int i = 0; i < 500; i++) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && "active".equals(rs.getString(1))) {
                        return;
                    }
                }
                Thread.sleep(10);
            }
        }
        throw new AssertionError("backend " + pid + " never became active");
    }
}
