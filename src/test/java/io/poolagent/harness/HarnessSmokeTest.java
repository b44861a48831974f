package io.poolagent.harness;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Checks the harness itself, without the agent: a TestDatabase, the connect-per-request app in a child JVM, its
 * endpoints, a small LoadRunner burst, and the ConnectionSampler seeing the app's connections on the server.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class HarnessSmokeTest {

    private static TestDatabase db;

    @BeforeAll
    static void startDatabase() {
        db = TestDatabase.start();
    }

    @AfterAll
    static void stopDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void appServesWithoutAgentAndSamplerSeesItsConnections() throws Exception {
        try (AppUnderTest app = AppUnderTest.start(db.databaseUrl("connection_limit=5"), false);
             Connection admin = db.openAdmin();
             ConnectionSampler sampler = new ConnectionSampler(admin, db.appUser())) {
            assertTrue(app.stdout().startsWith("LISTENING "), app.stdout());

            AppUnderTest.Response health = app.get("/health");
            assertEquals(200, health.status(), health.body());
            assertEquals("ok", health.body());

            AppUnderTest.Response work = app.get("/work?hold_ms=10");
            assertEquals(200, work.status(), work.body() + "\n" + app.stderr());
            assertEquals("ok", work.body());

            AppUnderTest.Response count = app.get("/count");
            assertEquals(200, count.status(), count.body());
            long before = Long.parseLong(count.body().trim());

            // The careless endpoint: without a pool the server rolls back when the connection closes.
            AppUnderTest.Response uncommitted = app.get("/uncommitted");
            assertEquals(200, uncommitted.status(), uncommitted.body());
            assertEquals(before, Long.parseLong(app.get("/count").body().trim()));

            sampler.reset();
            LoadResult burst = new LoadRunner().run(app.uri("/work?hold_ms=100"), 10, 2);
            assertEquals(20, burst.total());
            assertEquals(20, burst.ok(), burst.summary() + " " + burst.sampleFailures());
            assertEquals(0, burst.failedWith("53300"));
            assertEquals(10, burst.maxInFlight(), "all clients had a request in flight at once");
            assertTrue(sampler.samples() > 0, "sampler took samples");
            assertTrue(sampler.peak() >= 1, "sampler saw the app's connections, peak=" + sampler.peak());

            AppUnderTest.Response missing = app.get("/nope");
            assertEquals(404, missing.status());
        }
    }

    @Test
    void sqlErrorsAreReportedWithTheirSqlState() {
        // A wrong password: the app still starts its HTTP server only after creating its table, so it must exit.
        String bad = "postgresql://" + db.appUser() + ":wrong@" + db.host() + ":" + db.port() + "/" + db.database();
        try (ChildJvm child = ChildJvm.java()
                .jar(Artifacts.appJar(AppUnderTest.CONNECT_PER_REQUEST), "serve")
                .env("DATABASE_URL", bad).env("PORT", "0").start()) {
            int exit = child.waitFor(Duration.ofSeconds(60));
            assertEquals(1, exit, child.describe());
            assertTrue(child.stderr().contains("SQLSTATE=28P01"), child.describe());
        }
    }

    @Test
    void childEnvironmentIsScrubbedAndToolsRun() {
        assertFalse(ChildJvm.baseEnvironment().containsKey("JAVA_TOOL_OPTIONS"));
        assertFalse(ChildJvm.baseEnvironment().containsKey("DATABASE_URL"));
        try (ChildJvm keytool = ChildJvm.command(ChildJvm.tool(ChildJvm.currentJavaHome(), "keytool").toString(),
                "-help").start()) {
            assertEquals(0, keytool.waitFor(Duration.ofSeconds(60)), keytool.describe());
            assertTrue((keytool.stdout() + keytool.stderr()).contains("Key and Certificate Management Tool"),
                    keytool.describe());
        }
        // Variables given explicitly do reach the child; stdin is fed and closed.
        try (ChildJvm jshell = ChildJvm.command(ChildJvm.tool(ChildJvm.currentJavaHome(), "jshell").toString())
                .env("JAVA_TOOL_OPTIONS", "-Dharness.smoke=1").stdin("/exit\n").start()) {
            assertEquals(0, jshell.waitFor(Duration.ofSeconds(120)), jshell.describe());
            assertTrue(jshell.stderr().contains("Picked up JAVA_TOOL_OPTIONS: -Dharness.smoke=1"), jshell.describe());
        }
    }

    @Test
    void anotherJavaHomeCanBeUsed() {
        Path temurin25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
        assumeTrue(Files.isDirectory(temurin25), "no JDK 25 on this machine");
        try (ChildJvm java = ChildJvm.java().javaHome(temurin25).args("-version").start()) {
            assertEquals(0, java.waitFor(Duration.ofSeconds(60)), java.describe());
            assertTrue(java.stderrLines().get(0).contains("\"25"), java.describe());
        }
    }

    @Test
    void loopModeReportsAResult() {
        // Five seconds, not one: each operation opens a new backend, which took over a second on a loaded 2-core VM.
        try (ChildJvm loop = ChildJvm.java()
                .jar(Artifacts.appJar(AppUnderTest.CONNECT_PER_REQUEST),
                        "loop", "--threads", "2", "--seconds", "5", "--warmup-seconds", "0")
                .env("DATABASE_URL", db.databaseUrl(null)).start()) {
            String line = loop.awaitLine("RESULT ", Duration.ofSeconds(60));
            assertEquals(0, loop.waitFor(Duration.ofSeconds(30)), loop.describe());
            assertTrue(line.matches("RESULT ops=[1-9]\\d* seconds=\\S+ ops_per_sec=\\S+ errors=0"), line);
        }
    }
}
