package io.poolagent.e2e;

import io.poolagent.harness.AppUnderTest;
import io.poolagent.harness.LoadResult;
import io.poolagent.harness.LoadRunner;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the user sees of connections held too long, never closed, or hogging the pool when it runs dry. */
class LeakTest extends DatabaseTest {


    private static AppUnderTest app(String query) {
        return AppUnderTest.connectPerRequest().databaseUrl(db.databaseUrl(query)).withAgent().start();
    }

    @Test
    void anAppThatNeverClosesOneConnectionInTenKeepsServing() {
        try (AppUnderTest app = app("connection_limit=5")) {
            // 200 requests leak 20 connections, four times the pool: only reclaiming them keeps the app alive.
            LoadResult result = new LoadRunner(Duration.ofMinutes(3)).run(app.uri("/leaky"), 4, 50);
            assertEquals(0, result.failed(), result.summary() + "\n" + result.sampleFailures(3) + "\n" + app.stderr());
            String log = app.stderr();
            assertTrue(log.contains("[pool-agent] WARN a connection of app@") && log.contains("was never closed"), log);
            assertTrue(log.contains("at app.ConnectPerRequestApp.leakyLookup(ConnectPerRequestApp.java:"),
                    "the log must name the leaking method:\n" + log);
            assertTrue(!log.contains("at io.poolagent.") && !log.contains("at java.sql."),
                    "agent and JDK frames are left out:\n" + log);
        }
    }

    @Test
    void aConnectionHeldPastTheThresholdIsReportedOnceAndItsReturnToo() {
        try (AppUnderTest app = app("connection_limit=2&leak_detection_threshold=1")) {
            assertEquals(200, app.get("/work?hold_ms=2500").status());
            String log = app.stderr();
            long warnings = log.lines().filter(l -> l.contains("WARN possible connection leak")).count();
            assertEquals(1, warnings, log);
            assertTrue(log.contains("has been held for 1."), log);
            assertTrue(log.contains("by thread \"pool-"), "the borrowing thread is named:\n" + log);
            // Where it was taken, if this borrow was sampled; else where the holder is now: in work(), either way.
            assertTrue((log.contains("Acquired at:\n\tat app.ConnectPerRequestApp.connect(ConnectPerRequestApp.java:")
                            || log.contains("its holder is now at:\n\tat app.ConnectPerRequestApp.work("))
                            && log.contains("\n\tat app.ConnectPerRequestApp.work(ConnectPerRequestApp.java:"),
                    "the application's frames come first:\n" + log);
            assertTrue(log.contains("INFO the connection of app@") && log.contains("was returned by thread")
                    && log.contains("after 2."), log);
        }
    }

    @Test
    void aPoolTimeoutNamesTheHolders() throws Exception {
        try (AppUnderTest app = app("connection_limit=1&pool_timeout=1")) {
            CompletableFuture<AppUnderTest.Response> hog = CompletableFuture.supplyAsync(() -> app.get("/work?hold_ms=4000"));
            Thread.sleep(1000);
            AppUnderTest.Response starved = app.get("/work?hold_ms=1");
            assertEquals(500, starved.status(), starved.body());
            assertTrue(starved.body().contains("Holders, longest first: thread \"pool-"), starved.body());
            assertTrue(starved.body().contains("app.ConnectPerRequestApp.work(ConnectPerRequestApp.java:"), starved.body());
            assertTrue(app.stderr().contains("[pool-agent] WARN pool-agent: timed out after 1"), app.stderr());
            assertEquals(200, hog.get().status());
        }
    }

    @Test
    void abandonTimeoutTakesTheConnectionBackAndTheHolderIsTold() throws Exception {
        try (AppUnderTest app = app("connection_limit=1&abandon_timeout=1&pool_timeout=10")) {
            CompletableFuture<AppUnderTest.Response> stuck = CompletableFuture.supplyAsync(() -> app.get("/hold-then-use?ms=4000"));
            Thread.sleep(500);
            AppUnderTest.Response other = app.get("/work?hold_ms=1");
            assertEquals(200, other.status(), "the slot was released for others: " + other.body());
            AppUnderTest.Response holder = stuck.get();
            assertEquals(500, holder.status(), holder.body());
            assertTrue(holder.body().contains("this connection was taken back after being held for"), holder.body());
            assertTrue(app.stderr().contains("WARN abandon_timeout: took back a connection"), app.stderr());
        }
    }
}
