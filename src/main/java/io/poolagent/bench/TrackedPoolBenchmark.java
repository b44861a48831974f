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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * (a′) {@link OurPoolBenchmark}'s borrow + close with leak detection at its default (on): every borrow captures its
 * acquisition stack. Compared with (a), which has it off, this is the cost of acquisition tracking. Same settings,
 * methods and pool sizes as (a), uncontended cases only: contention would hide the cost in the wait.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class TrackedPoolBenchmark {

    /**
     * Where the setup writes the stack depth for the report: relative to the fork's working directory, the copy of
     * the build scripts/bench-pool makes (deleted at the start of each run, so a depth is never stale).
     */
    static final String STACK_DEPTH_FILE = "src/target/bench-pool/tracked-stack-depth.txt";

    /** ConnectionPool.borrow() and LeakDetector.capture(): the frames the capture adds below the benchmark method. */
    static final int POOL_FRAMES = 2;

    /** Leak detection left at its default, so tracking is on; otherwise exactly (a)'s pool. */
    public abstract static class TrackedState extends OurPoolBenchmark.PoolState {
        TrackedState(int size) {
            super(size, "");
        }

        /**
         * The cost of {@code new Throwable()} grows with the stack it walks, so the report states how deep this
         * benchmark's is. JMH calls a trial setup on a benchmark thread through one generated frame, as it calls
         * the benchmark method, so this depth is the benchmark method's; the capture adds {@link #POOL_FRAMES}.
         */
        @Setup(Level.Trial)
        public void recordStackDepth() {
            int depth = new Throwable().getStackTrace().length + POOL_FRAMES;
            System.out.println("acquisition stack depth at capture: about " + depth + " frames");
            Path file = Path.of(STACK_DEPTH_FILE);
            if (Files.isDirectory(file.getParent())) { // run outside scripts/bench-pool: nowhere to put it
                try {
                    Files.writeString(file, depth + "\n", StandardCharsets.UTF_8);
                } catch (IOException e) {
                    System.out.println("could not write " + file + ": " + e);
                }
            }
        }
    }

    @State(Scope.Benchmark)
    public static class Pool1 extends TrackedState {
        public Pool1() {
            super(1);
        }
    }

    @State(Scope.Benchmark)
    public static class Pool8 extends TrackedState {
        public Pool8() {
            super(8);
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
}
