package io.poolagent.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

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
import java.util.concurrent.TimeUnit;

/**
 * (b) The same borrow + close on HikariCP (the version the root pom manages), its defaults otherwise, with
 * maximumPoolSize = minimumIdle = the pool size. Same methods, threads and settings as {@link OurPoolBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class HikariBenchmark {

    /** How long setup waits for HikariCP's background filler to open minimumIdle connections. */
    private static final long FILL_WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    public abstract static class HikariState {
        private final int size;
        HikariDataSource ds;

        HikariState(int size) {
            this.size = size;
        }

        @Setup(Level.Trial)
        public void open() throws SQLException, InterruptedException {
            HikariConfig config = new HikariConfig();
            config.setPoolName("bench");
            config.setJdbcUrl(BenchSupport.URL);
            config.setDriverClassName(StubDriver.class.getName());
            config.setMaximumPoolSize(size);
            config.setMinimumIdle(size);
            config.setConnectionTimeout(TimeUnit.SECONDS.toMillis(BenchSupport.POOL_TIMEOUT_SECONDS));
            ds = new HikariDataSource(config);
            // HikariCP fills up to minimumIdle on its own thread; measure only once it has.
            HikariPoolMXBean mx = ds.getHikariPoolMXBean();
            long deadline = System.nanoTime() + FILL_WAIT_NANOS;
            while (mx.getIdleConnections() < size) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("HikariCP opened only " + mx.getTotalConnections() + " of "
                            + size + " connections in 30 s");
                }
                Thread.sleep(5);
            }
            BenchSupport.prefill(ds::getConnection, size);
        }

        @TearDown(Level.Trial)
        public void close() {
            ds.close();
            BenchSupport.checkOpenedAtMost(size, "HikariCP");
        }
    }

    @State(Scope.Benchmark)
    public static class Pool1 extends HikariState {
        public Pool1() {
            super(1);
        }
    }

    @State(Scope.Benchmark)
    public static class Pool8 extends HikariState {
        public Pool8() {
            super(8);
        }
    }

    @State(Scope.Benchmark)
    public static class Pool16 extends HikariState {
        public Pool16() {
            super(16);
        }
    }

    @Benchmark
    @Threads(1)
    public void t01_pool01(Pool1 s) throws SQLException {
        s.ds.getConnection().close();
    }

    @Benchmark
    @Threads(8)
    public void t08_pool08(Pool8 s) throws SQLException {
        s.ds.getConnection().close();
    }

    /** Contended: 32 borrowers on 16 connections; SampleTime gives the latency percentiles. */
    @Benchmark
    @Threads(32)
    @BenchmarkMode({Mode.Throughput, Mode.SampleTime})
    public void t32_pool16(Pool16 s) throws SQLException {
        s.ds.getConnection().close();
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
        try (Connection c = s.ds.getConnection()) {
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
        b.connection = s.ds.getConnection();
    }
}
