package io.poolagent.e2e;

import io.poolagent.harness.Artifacts;
import io.poolagent.harness.ChildJvm;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The pooled connection is indistinguishable from the driver's own, as an unmodified JDBC program sees it: the
 * jdbc-features test app runs named checks and prints one PASS/FAIL line per check. Each group runs in its own JVM
 * under the agent, with the connection_limit it needs: 1 where the next borrower must get the previous borrower's
 * backend, 4 where two connections must be open at once. A control run without the agent shows that the checks
 * themselves are right about plain pgjdbc, so a failure under the agent is the agent's.
 */
class DriverTransparencyTest extends DatabaseTest {

    private static final String APP = "jdbc-features";
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

    // The check lines each group prints (the group's name alone appears only when the group crashed).
    private static final List<String> STATE_RESET = List.of(
            "state-reset-autocommit", "state-reset-isolation", "state-reset-read-only", "state-reset-catalog",
            "state-reset-schema", "state-reset-network-timeout", "state-reset-holdability", "state-reset-client-info",
            "state-reset-warnings", "state-reset-open-statements", "state-reset-open-result-sets",
            "state-reset-rollback");
    private static final List<String> RESET_QUERY = List.of("reset-query", "reset-query-prepared-statements");
    private static final List<String> LEADS_BACK = List.of(
            "leads-back-statement", "leads-back-metadata", "leads-back-result-set", "leads-back-metadata-result-set",
            "leads-back-refcursor", "leads-back-close-via-statement", "leads-back-close-via-metadata",
            "leads-back-close-via-result-set", "leads-back-close-via-refcursor");
    private static final List<String> PG_INTERFACES = List.of(
            "pg-interfaces-cast", "pg-interfaces-unwrap", "pg-interfaces-is-wrapper-for", "pg-interfaces-all");
    private static final List<String> COPY = List.of("copy");
    private static final List<String> LISTEN_NOTIFY = List.of("listen-notify");
    private static final List<String> EXCLUSIVITY_STRESS = List.of("exclusivity-stress");
    private static final List<String> STALE_HANDLE = List.of(
            "stale-handle-create-statement", "stale-handle-prepare-statement", "stale-handle-statement-from-before",
            "stale-handle-prepared-from-before", "stale-handle-client-info");


    // ------------------------------------------------------------------------------------- R1: state on return

    @Test
    void r1EveryBorrowerGetsTheConnectionInItsCreationState() {
        assertAllPass(underAgent("connection_limit=1", null, "state-reset"), STATE_RESET);
    }

    @Test
    void r1ResetQueryUndoesSessionStateChangedWithSql() {
        // One JVM argument, so the space needs no quoting; the agent splits its arguments on commas only.
        assertAllPass(underAgent("connection_limit=1", "reset_query=DISCARD ALL", "reset-query"), RESET_QUERY);
    }

    // ------------------------------------------------------------------------------------- R2: back-links

    @Test
    void r2ObjectsHandedOutLeadBackToThePooledConnection() {
        assertAllPass(underAgent("connection_limit=1", null, "leads-back"), LEADS_BACK);
    }

    // ------------------------------------------------------------------------------------- R3: driver interfaces

    @Test
    void r3PooledConnectionIsAPGConnection() {
        assertAllPass(underAgent("connection_limit=1", null, "pg-interfaces"), PG_INTERFACES);
    }

    @Test
    void r3CopyApiWorksThroughThePooledConnection() {
        assertAllPass(underAgent("connection_limit=1", null, "copy"), COPY);
    }

    @Test
    void r3ListenNotifyWorksThroughPooledConnections() {
        // Listener and notifier must be open at once, on two physical connections.
        assertAllPass(underAgent("connection_limit=4", null, "listen-notify"), LISTEN_NOTIFY);
    }

    // ------------------------------------------------------------------------------------- R4: exclusivity

    @Test
    void r4NoTwoBorrowersEverHoldTheSameConnection() {
        // 16 threads on 4 connections: every connection is handed over again and again, under contention.
        assertAllPass(underAgent("connection_limit=4", null, "exclusivity-stress"), EXCLUSIVITY_STRESS);
    }

    @Test
    void r4AStaleHandleNeverTouchesTheNextBorrower() {
        assertAllPass(underAgent("connection_limit=1", null, "stale-handle"), STALE_HANDLE);
    }

    // ------------------------------------------------------------------------------------- control

    @Test
    void withoutTheAgentTheChecksPassOnPlainPgjdbc() {
        // The groups that mean something unpooled; state-reset and reset-query need a shared backend.
        List<String> expected = new ArrayList<>();
        List.of(PG_INTERFACES, COPY, LISTEN_NOTIFY, LEADS_BACK, STALE_HANDLE, EXCLUSIVITY_STRESS)
                .forEach(expected::addAll);
        Run run = run(false, "", null, Map.of("STRESS_THREADS", "8", "STRESS_ITERATIONS", "25"),
                "pg-interfaces", "copy", "listen-notify", "leads-back", "stale-handle", "exclusivity-stress");
        assertAllPass(run, expected);
    }

    // ------------------------------------------------------------------------------------- running the app

    /** What one run printed: each check's line by name, the exit code, and the child's output for messages. */
    private record Run(Map<String, String> lines, int exit, String describe) {
    }

    private static Run underAgent(String databaseQuery, String agentArgs, String... groups) {
        return run(true, databaseQuery, agentArgs, Map.of(), groups);
    }

    /**
     * Runs jdbc-features with the given checks to completion. Under the agent the app is told EXPECT_POOLED=true,
     * which turns on its same-backend expectations (with one connection, the next borrow must reuse the backend).
     */
    private static Run run(boolean withAgent, String databaseQuery, String agentArgs, Map<String, String> env,
                           String... groups) {
        ChildJvm.Builder b = ChildJvm.java()
                .name(APP + (withAgent ? "+agent" : ""))
                .jar(Artifacts.appJar(APP), groups)
                .env("DATABASE_URL", db.databaseUrl(databaseQuery))
                .env(env);
        if (withAgent) {
            b.agent(Artifacts.agentJar(), agentArgs);
            b.env("EXPECT_POOLED", "true");
        }
        try (ChildJvm child = b.start()) {
            int exit = child.waitFor(RUN_TIMEOUT);
            Map<String, String> lines = new LinkedHashMap<>();
            for (String line : child.stdoutLines()) {
                if (line.startsWith("PASS ") || line.startsWith("FAIL ")) {
                    int colon = line.indexOf(':', 5);
                    lines.put(line.substring(5, colon < 0 ? line.length() : colon).trim(), line);
                }
            }
            return new Run(lines, exit, child.describe());
        }
    }

    /** Every expected check printed PASS; a FAIL or a missing line fails with all the details at once. */
    private static void assertAllPass(Run run, List<String> expected) {
        List<String> problems = new ArrayList<>();
        for (String name : expected) {
            String line = run.lines().get(name);
            if (line == null) {
                problems.add("MISSING " + name + ": the app printed no line for it");
            } else if (!line.startsWith("PASS ")) {
                problems.add(line);
            }
        }
        // A group that crashed prints a FAIL line under its own name, which says why its checks are missing.
        run.lines().forEach((name, line) -> {
            if (!expected.contains(name) && line.startsWith("FAIL ")) {
                problems.add(line);
            }
        });
        if (run.exit() != 0) {
            problems.add("exit code " + run.exit());
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " problem(s):\n" + String.join("\n", problems) + "\n\n" + run.describe());
        }
    }
}
