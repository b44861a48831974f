package io.poolagent.bench;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;

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

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * (c) with OpenTelemetry: the agent path of {@link AgentPathBenchmark}, in an application that registered an SDK
 * (a meter provider with a reader, and a tracer provider) before its first connection, so that the pool reports
 * to it: each borrow records wait_time and use_time. Beside (c) in the same run, this gives the telemetry layer's
 * cost. Not part of scripts/bench-pool's report: run by scripts/bench-otel.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"},
        jvmArgsPrepend = {"-javaagent:" + AgentPathBenchmark.AGENT_JAR, "-Dpoolagent.log_level=warn",
                "-Dpoolagent.pool_timeout=" + BenchSupport.POOL_TIMEOUT_SECONDS,
                "-Dpoolagent.leak_detection_threshold=0"})
public class OtelAgentPathBenchmark {

    /** Registered once per fork, when the first state is made: before its setup makes the pool, as an app would. */
    private static final InMemoryMetricReader METRICS = InMemoryMetricReader.create();

    static {
        OpenTelemetrySdk.builder()
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(METRICS).build())
                .setTracerProvider(SdkTracerProvider.builder().build())
                .buildAndRegisterGlobal();
    }

    /** Touching this class registers the SDK (its static initializer). */
    static void registerSdk() {
    }

    /** After the pool is made and filled: that it reports to the SDK, or this would measure (c) again. */
    static void checkBound() {
        boolean bound = METRICS.collectAllMetrics().stream()
                .anyMatch(m -> m.getName().equals("db.client.connection.count"));
        if (!bound) {
            throw new IllegalStateException("the pool did not bind to the registered OpenTelemetry SDK: no"
                    + " db.client.connection.count metric");
        }
    }

    @State(Scope.Benchmark)
    public static class Pool1 extends AgentPathBenchmark.AgentState {
        public Pool1() {
            super(1);
            registerSdk();
        }

        @Setup(Level.Trial)
        public void bound() {
            checkBound();
        }
    }

    @State(Scope.Benchmark)
    public static class Pool8 extends AgentPathBenchmark.AgentState {
        public Pool8() {
            super(8);
            registerSdk();
        }

        @Setup(Level.Trial)
        public void bound() {
            checkBound();
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
}
