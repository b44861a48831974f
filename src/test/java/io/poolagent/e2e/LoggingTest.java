package io.poolagent.e2e;

import io.poolagent.harness.AppUnderTest;
import io.poolagent.harness.Artifacts;
import io.poolagent.harness.ChildJvm;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent's own log: prefixed lines on stderr at log_level, in an app with no logging framework, and in an app
 * with its own slf4j 1.7 and logback 1.2, whose logging the agent must leave exactly as it was.
 */
class LoggingTest extends DatabaseTest {

    private static final String UNKNOWN_VARIABLE = "POOL_AGENT_NO_SUCH_SETTING";

    @Test
    void anAppWithItsOwnSlf4jAndLogbackLogsExactlyAsWithoutTheAgent() {
        String url = db.databaseUrl("connection_limit=2");
        // slf4j 2.0 reports on its own start-up at this verbosity ("SLF4J(D): Connected with provider ..."): the
        // agent's copy must never start it; the app's slf4j 1.7 ignores the property.
        String verbose = "-Dslf4j.internal.verbosity=DEBUG";
        ChildJvm.Builder plain = ChildJvm.java().name("logback-app").jvmOptions(verbose)
                .jar(Artifacts.appJar("logback-app")).env("DATABASE_URL", url);
        ChildJvm.Builder agent = ChildJvm.java().name("logback-app+agent").jvmOptions(verbose)
                .jar(Artifacts.appJar("logback-app")).env("DATABASE_URL", url).agent(Artifacts.agentJar())
                .env(UNKNOWN_VARIABLE, "1"); // something for the agent to warn about
        try (ChildJvm without = plain.start(); ChildJvm with = agent.start()) {
            assertEquals(0, without.waitFor(Duration.ofSeconds(120)), without.describe());
            assertEquals(0, with.waitFor(Duration.ofSeconds(120)), with.describe());

            List<String> appLines = without.stdoutLines();
            assertTrue(appLines.contains("APPLOG INFO  LogbackApp [main] starting; slf4j is bound to"
                    + " ch.qos.logback.classic.LoggerContext"), "the app logs through its logback:\n" + appLines);
            assertTrue(appLines.contains("APPLOG INFO  LogbackApp [main] step 5: 5 squared is 25"), appLines.toString());
            assertTrue(appLines.contains("APPLOG WARN  LogbackApp [main] a failing query, as expected: SQLSTATE 42703"),
                    appLines.toString());
            assertTrue(appLines.contains("RESULT sum=55"), appLines.toString());
            assertEquals(appLines, with.stdoutLines(),
                    "under the agent the app's output, its log lines in its own pattern, is unchanged");

            String agentErr = with.stderr();
            assertFalse((without.stdout() + without.stderr()).contains("SLF4J"), without.describe());
            assertFalse((with.stdout() + agentErr).contains("SLF4J"), "no slf4j warning of any kind:\n" + with.describe());
            List<String> agentLines = agentErr.lines().filter(l -> l.startsWith("[pool-agent] ")).collect(Collectors.toList());
            assertTrue(agentLines.stream().anyMatch(l -> l.startsWith("[pool-agent] WARN ignoring environment variables")
                    && l.contains(UNKNOWN_VARIABLE)), "the agent's warning, on stderr, prefixed:\n" + agentErr);
            assertEquals(1, agentLines.stream().filter(l -> l.startsWith("[pool-agent] INFO pool " + db.appUser() + "@")
                    && l.contains("connection_limit=2 (DATABASE_URL)")).count(), "the init line:\n" + agentErr);
            assertFalse(with.stdout().contains("pool-agent"), "no agent line goes through the app's logback:\n"
                    + with.stdout());
        }
    }

    /** Opt-in: log_to=slf4j hands the agent's lines, from the first pool on, to the app's slf4j and its pattern. */
    @Test
    void logToSlf4jSendsTheAgentsLinesThroughTheAppsOwnLogging() {
        try (ChildJvm app = ChildJvm.java().name("logback-app+agent").jar(Artifacts.appJar("logback-app"))
                .env("DATABASE_URL", db.databaseUrl("connection_limit=2")).env(UNKNOWN_VARIABLE, "1")
                .agent(Artifacts.agentJar(), "log_to=slf4j").start()) {
            assertEquals(0, app.waitFor(Duration.ofSeconds(120)), app.describe());
            List<String> out = app.stdoutLines();
            assertTrue(out.stream().anyMatch(l -> l.startsWith("APPLOG INFO  pool-agent [main] pool " + db.appUser() + "@")
                    && l.contains("connection_limit=2 (DATABASE_URL)")), "the init line, in the app's pattern:\n" + out);
            assertTrue(out.contains("APPLOG INFO  LogbackApp [main] step 5: 5 squared is 25") && out.contains("RESULT sum=55"),
                    out.toString());
            String err = app.stderr();
            assertFalse(err.contains("[pool-agent] INFO"), err);
            assertTrue(err.contains("[pool-agent] WARN ignoring environment variables"),
                    "premain's lines come before any pool, so they go to stderr:\n" + err);
            assertFalse(app.stdout().contains("SLF4J") || err.contains("SLF4J"), app.describe());
        }
        // connect-per-request carries slf4j-api (for HikariCP) with no backend: lines would be lost, so stderr it is
        try (AppUnderTest app = app("connection_limit=2", null, "log_to=slf4j")) {
            assertEquals(200, app.get("/work?hold_ms=1").status());
            String err = app.stderr();
            assertTrue(err.contains("[pool-agent] WARN log_to=slf4j, but the application's slf4j has no logging backend"),
                    err);
            assertTrue(err.contains("[pool-agent] INFO pool " + db.appUser() + "@"), err);
        }
    }

    @Test
    void withNoLoggingFrameworkTheDefaultShowsTheInitLineWarningsAndNotices() {
        try (AppUnderTest app = app("connection_limit=2&leak_detection_threshold=1", null)) {
            assertEquals(200, app.get("/work?hold_ms=2500").status());
            String log = awaitReturnNotice(app);
            assertTrue(log.contains("[pool-agent] INFO pool " + db.appUser() + "@"), log);
            assertTrue(log.contains("[pool-agent] WARN possible connection leak"), log);
            assertFalse(log.contains("recording where every connection is taken"), "an INFO line, hidden at quiet:\n" + log);
            assertFalse(log.contains("[pool-agent] DEBUG"), log);
            assertFalse(log.contains("SLF4J"), log);
            List<String> unprefixed = agentLinesWithoutPrefix(log);
            assertTrue(unprefixed.isEmpty(), "every agent line carries the prefix: " + unprefixed);
        }
    }

    @Test
    void logLevelControlsWhatAppears() {
        try (AppUnderTest app = app("connection_limit=2&leak_detection_threshold=1", "info")) {
            assertEquals(200, app.get("/work?hold_ms=2500").status());
            String log = awaitReturnNotice(app);
            assertTrue(log.lines().anyMatch(l -> l.startsWith("[pool-agent] INFO pool " + db.appUser() + "@")
                    && l.contains(" leaked a connection: recording where every connection is taken")),
                    "info shows the INFO lines quiet hides:\n" + log);
            assertFalse(log.contains("[pool-agent] DEBUG"), log);
        }
        try (AppUnderTest app = app("connection_limit=2", "debug")) {
            assertEquals(200, app.get("/work?hold_ms=1").status());
            assertTrue(app.stderr().contains("[pool-agent] DEBUG instrumented org.postgresql.Driver.connect"),
                    app.stderr());
        }
        try (AppUnderTest app = AppUnderTest.connectPerRequest().databaseUrl(db.databaseUrl("connection_limit=2"))
                .env(UNKNOWN_VARIABLE, "1").withAgent("log_level=warn").start()) {
            assertEquals(200, app.get("/work?hold_ms=1").status());
            String log = app.stderr();
            assertTrue(log.contains("[pool-agent] WARN ignoring environment variables that name no pool-agent setting: "
                    + UNKNOWN_VARIABLE), log);
            assertFalse(log.contains("[pool-agent] INFO"), "warn hides even the init line:\n" + log);
        }
    }

    private static AppUnderTest app(String query, String logLevel) {
        return app(query, logLevel, null);
    }

    private static AppUnderTest app(String query, String logLevel, String moreAgentArgs) {
        String args = logLevel == null ? moreAgentArgs
                : "log_level=" + logLevel + (moreAgentArgs == null ? "" : "," + moreAgentArgs);
        return AppUnderTest.connectPerRequest().databaseUrl(db.databaseUrl(query)).withAgent(args).start();
    }

    /** The leak report's closing line comes from the housekeeper after the request; wait for it. */
    private static String awaitReturnNotice(AppUnderTest app) {
        app.jvm().awaitStderrLine("[pool-agent] INFO the connection of ", Duration.ofSeconds(20));
        return app.stderr();
    }

    /** Lines that look like the agent's (its messages' openings) but lack the prefix. */
    private static List<String> agentLinesWithoutPrefix(String log) {
        return log.lines().filter(l -> !l.startsWith("[pool-agent] ") && !l.startsWith("\tat ")
                        && (l.contains("possible connection leak") || l.contains("pool " + db.appUser() + "@")))
                .collect(Collectors.toList());
    }
}
