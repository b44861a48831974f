package io.poolagent.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * (c) What an unmodified application does, {@code DriverManager.getConnection(url, props)} then close, in a JVM
 * started with the built agent: interception, pool lookup and pool together. The pool size travels in the URL
 * ({@code ?connection_limit=N}), which the agent strips before the driver sees it.
 *
 * <p>The agent is {@link #AGENT_JAR}, relative to the working directory because an annotation cannot compute a path
 * and JMH's command-line {@code -jvmArgs*} options would put the agent into the other subjects' forks too.
 * scripts/bench-pool runs from the repository root and first copies agent/target/pool-agent.jar there, so that a
 * build running alongside cannot swap the agent out mid-run, and (a) runs the same build's classes. Nothing
 * {@code -Dpoolagent.*} but real settings may reach this fork: the agent rejects unknown ones. Leak detection is off,
 * as in (a) and in HikariCP by default, so that the three measure the same work.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"},
        jvmArgsPrepend = {"-javaagent:" + AgentPathBenchmark.AGENT_JAR, "-Dpoolagent.log_level=warn",
                "-Dpoolagent.pool_timeout=" + BenchSupport.POOL_TIMEOUT_SECONDS,
                "-Dpoolagent.leak_detection_threshold=0"})
public class AgentPathBenchmark {

    /** Relative to the fork's working directory (JMH's, inherited): the copy scripts/bench-pool makes. */
    static final String AGENT_JAR = "src/target/bench-pool/pool-agent.jar";

    public abstract static class AgentState {
        private final int size;
        String url;

        AgentState(int size) {
            this.size = size;
        }

        @Setup(Level.Trial)
        public void open() throws SQLException {
            StubDriver.register();
            url = BenchSupport.URL + "?connection_limit=" + size;
            try (Connection c = DriverManager.getConnection(url, BenchSupport.NO_PROPERTIES)) {
                if (c instanceof StubConnection) {
                    Path jar = Path.of(AGENT_JAR).toAbsolutePath();
                    throw new IllegalStateException("DriverManager returned the stub driver's own connection: the"
                            + " agent did not pool it, so this would measure the bare driver. Agent jar " + jar
                            + (Files.isRegularFile(jar) ? " exists" : " does not exist")
                            + "; run scripts/bench-pool, which copies agent/target/pool-agent.jar there and runs from the"
                            + " repository root.");
                }
            }
            BenchSupport.prefill(() -> DriverManager.getConnection(url, BenchSupport.NO_PROPERTIES), size);
        }

        @TearDown(Level.Trial)
        public void check() {
            BenchSupport.checkOpenedAtMost(size, "the agent's path");
        }
    }

    @State(Scope.Benchmark)
    public static class Pool1 extends AgentState {
        public Pool1() {
            super(1);
        }
    }

    @State(Scope.Benchmark)
    public static class Pool8 extends AgentState {
        public Pool8() {
            super(8);
        }
    }

    @State(Scope.Benchmark)
    public static class Pool16 extends AgentState {
        public Pool16() {
            super(16);
        }
    }

    @Benchmark
    @Threads(1)
    public void t01_pool01(Pool1 s) throws SQLException {
        DriverManager.getConnection(s.url, BenchSupport.NO_PROPERTIES).close();
    }

    @Benchmark
    @Threads(8)
    public void t08_pool08(Pool8 s) throws SQLException {
        DriverManager.getConnection(s.url, BenchSupport.NO_PROPERTIES).close();
    }

    /** Contended: 32 callers on 16 connections; SampleTime too, for the same percentiles as (a) and (b). */
    @Benchmark
    @Threads(32)
    @BenchmarkMode({Mode.Throughput, Mode.SampleTime})
    public void t32_pool16(Pool16 s) throws SQLException {
        DriverManager.getConnection(s.url, BenchSupport.NO_PROPERTIES).close();
    }

    /** Contended with waiting, as in (a) and (b): each caller holds its connection for a parked query time. */
    @Benchmark
    @Threads(32)
    @BenchmarkMode(Mode.SampleTime)
    public void t32_pool16_held(Pool16 s) throws SQLException {
        try (Connection c = DriverManager.getConnection(s.url, BenchSupport.NO_PROPERTIES)) {
            BenchSupport.holdForQuery();
        }
    }

    /**
     * Contended, the borrow alone: 32 borrowers on 16 connections, each timed from the call to the connection in
     * hand; the close runs after the invocation, untimed ({@link BorrowedConnection}).
     */
    @Benchmark
    @Threads(32)
    @BenchmarkMode(Mode.SampleTime)
    public void t32_pool16_borrow(Pool16 s, BorrowedConnection b) throws SQLException {
        b.connection = DriverManager.getConnection(s.url, BenchSupport.NO_PROPERTIES);
    }
}
