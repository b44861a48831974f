package io.poolagent.bench;

import io.poolagent.config.AgentConfig;
import io.poolagent.log.AgentLog;
import io.poolagent.pool.ConnectionPool;
import io.poolagent.pool.PoolRegistry;

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

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * (a) Borrow + close on our pool, in-process and without the agent: the pool classes straight from the agent's
 * plain jar, connecting through the stub driver. Method names are {@code t<threads>_pool<size>}.
 *
 * <p>Leak detection is off here ({@link #TRACKING_OFF}), as it is by default in HikariCP, so that the comparison
 * with (b) is like for like; {@link TrackedPoolBenchmark} measures the same borrow with it on.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
// Explicit jvmArgs: otherwise JMH hands the forks the launcher's own JVM arguments.
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class OurPoolBenchmark {

    /** Appended to the pool's settings: no acquisition stack per borrow, HikariCP's default. */
    static final String TRACKING_OFF = ",leak_detection_threshold=0";

    /** One pool per trial, filled to its size before measuring. */
    public abstract static class PoolState {
        private final int size;
        private final String moreSettings;
        ConnectionPool pool;

        /** @param moreSettings appended to the agent arguments, each with a leading comma; "" for none */
        PoolState(int size, String moreSettings) {
            this.size = size;
            this.moreSettings = moreSettings;
        }

        @Setup(Level.Trial)
        public void open() throws SQLException {
            AgentLog.setLevel("warn"); // the pool's "created" line is for users of the agent, not for this log
            AgentConfig config = AgentConfig.load("connection_limit=" + size + ",pool_timeout="
                    + BenchSupport.POOL_TIMEOUT_SECONDS + moreSettings, Map.of(), new Properties());
            PoolRegistry registry = new PoolRegistry(config);
            pool = registry.poolFor(new StubDriver(), BenchSupport.URL, BenchSupport.NO_PROPERTIES,
                    (driver, url, properties) -> driver.connect(url, properties));
            if (pool == null) {
                throw new IllegalStateException("PoolRegistry made no pool for " + BenchSupport.URL);
            }
            BenchSupport.prefill(pool::borrow, size);
        }

        @TearDown(Level.Trial)
        public void check() {
            BenchSupport.checkOpenedAtMost(size, "our pool");
        }
    }

    @State(Scope.Benchmark)
    public static class Pool1 extends PoolState {
        public Pool1() {
            super(1, TRACKING_OFF);
        }
    }

    @State(Scope.Benchmark)
    public static class Pool8 extends PoolState {
        public Pool8() {
            super(8, TRACKING_OFF);
        }
    }

    @State(Scope.Benchmark)
    public static class Pool16 extends PoolState {
        public Pool16() {
            super(16, TRACKING_OFF);
        }
    }

    @Benchmark
    @Threads(1)
    public void t01_pool01(Pool1 s) throws SQLException {
        s.pool.borrow().close();
    }

    @Benchmark
    @Threads(8)
    public void t08_pool08(Pool8 s) throws SQLException {
        s.pool.borrow().close();
    }

    /** Contended: 32 borrowers on 16 connections; SampleTime gives the latency percentiles. */
    @Benchmark
    @Threads(32)
    @BenchmarkMode({Mode.Throughput, Mode.SampleTime})
    public void t32_pool16(Pool16 s) throws SQLException {
        s.pool.borrow().close();
    }

    /**
     * Contended with waiting: 32 borrowers on 16 connections, each holding its connection for a parked
     * {@link BenchSupport#HOLD_NANOS}, so that about half of them queue at any time. The latency tail shows how
     * fairly the pool serves its queue.
     */
    @Benchmark
    @Threads(32)
    @BenchmarkMode(Mode.SampleTime)
    public void t32_pool16_held(Pool16 s) throws SQLException {
        try (Connection c = s.pool.borrow()) {
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
        b.connection = s.pool.borrow();
    }
}
