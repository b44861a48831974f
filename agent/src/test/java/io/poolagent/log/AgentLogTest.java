package io.poolagent.log;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class AgentLogTest {

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void captureStderr() {
        originalErr = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(originalErr);
        AgentLog.setLevel("quiet");
    }

    private String logEveryLevel(String level) {
        captured.reset();
        AgentLog.setLevel(level);
        AgentLog.error("e");
        AgentLog.warn("w");
        AgentLog.warn("wt", new IllegalStateException("boom"));
        AgentLog.notice("n");
        AgentLog.info("i");
        AgentLog.debug("d");
        return captured.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("[pool-agent] ")).reduce("", (a, b) -> a + b + "\n");
    }

    @Test
    void quietTheDefaultShowsErrorsWarningsAndNotices() {
        assertEquals(AgentLog.Level.QUIET, AgentLog.DEFAULT_LEVEL);
        assertEquals("""
                [pool-agent] ERROR e
                [pool-agent] WARN w
                [pool-agent] WARN wt: java.lang.IllegalStateException: boom
                [pool-agent] INFO n
                """, logEveryLevel("quiet"));
    }

    @Test
    void eachLevelAddsToTheOneBefore() {
        assertEquals("[pool-agent] ERROR e\n", logEveryLevel("error"));
        assertEquals("[pool-agent] ERROR e\n[pool-agent] WARN w\n[pool-agent] WARN wt: java.lang.IllegalStateException: boom\n",
                logEveryLevel("WARN"));
        assertEquals("""
                [pool-agent] ERROR e
                [pool-agent] WARN w
                [pool-agent] WARN wt: java.lang.IllegalStateException: boom
                [pool-agent] INFO n
                [pool-agent] INFO i
                """, logEveryLevel("info"));
        String debug = logEveryLevel("debug");
        assertEquals(true, debug.endsWith("[pool-agent] INFO i\n[pool-agent] DEBUG d\n"), debug);
    }

    /** A library inside the agent's loader that asks slf4j for a logger gets the agent's provider, with no warning. */
    @Test
    void loggerFactoryInTheAgentsLoaderBindsToTheAgentsProvider() {
        captured.reset();
        AgentLog.setLevel("info");
        assertInstanceOf(StderrLogger.class, LoggerFactory.getLogger("some.library"));
        LoggerFactory.getLogger("some.library").info("hello {}", "world");
        assertEquals("[pool-agent] INFO hello world\n", captured.toString(StandardCharsets.UTF_8));
    }
}
