package io.poolagent.telemetry.otel;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.poolagent.config.PoolSettings;
import io.poolagent.pool.ConnectionPool;
import io.poolagent.pool.TestPools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pool's events as an SDK sees them: metric names and values, which borrows make spans and where they hang.
 * Pool bookkeeping only (stub connections); the same behaviour against PostgreSQL and in the three OpenTelemetry
 * settings is tested end to end in OpenTelemetryTest.
 */
class OtelPoolEventsTest {

    private static final String NAME = "app@db.example:5433/orders";

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .build();

    @AfterEach
    void close() {
        sdk.close();
    }

    private ConnectionPool pool(int limit, long poolTimeoutMillis, boolean traceAll) {
        PoolSettings settings = new PoolSettings(limit, TimeUnit.MILLISECONDS.toNanos(poolTimeoutMillis), 5, 0, 0, 0,
                null, TimeUnit.MILLISECONDS.toNanos(1), 0);
        return TestPools.pool(NAME, "db.example:5433/orders", "org.postgresql.", settings,
                p -> OtelPoolEvents.create(sdk, p, traceAll));
    }

    private List<SpanData> spans(String name) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
    }

    @Test
    void semconvMetricsWithThePoolName() throws Exception {
        ConnectionPool pool = pool(2, 1000, false);
        Connection held = pool.borrow();
        pool.borrow().close();
        Set<String> names = metrics.collectAllMetrics().stream().map(MetricData::getName).collect(Collectors.toSet());
        assertEquals(Set.of("db.client.connection.count", "db.client.connection.idle.max",
                "db.client.connection.idle.min", "db.client.connection.limit", "db.client.connection.pending_requests",
                "db.client.connection.timeouts", "db.client.connection.create_time", "db.client.connection.wait_time",
                "db.client.connection.use_time", "pool_agent.connection.leaks"), names);
        for (MetricData m : metrics.collectAllMetrics()) {
            m.getData().getPoints().forEach(p -> assertEquals(NAME,
                    p.getAttributes().get(AttributeKey.stringKey("db.client.connection.pool.name")), m.getName()));
            if (m.getName().endsWith("_time")) {
                assertEquals("s", m.getUnit(), m.getName());
            }
        }
        MetricData count = metrics.collectAllMetrics().stream()
                .filter(m -> m.getName().equals("db.client.connection.count")).findFirst().orElseThrow();
        String points = count.getLongSumData().getPoints().toString();
        assertTrue(points.contains("db.client.connection.state=\"used\"}, value=1")
                && points.contains("db.client.connection.state=\"idle\"}, value=1"), points);
        held.close();
    }

    @Test
    void noSpanOutsideATraceNorForABorrowThatDidNotWait() throws Exception {
        ConnectionPool pool = pool(1, 1000, false);
        pool.borrow().close(); // opens a connection, but outside any trace
        Span request = sdk.getTracer("test").spanBuilder("request").startSpan();
        try (Scope ignored = request.makeCurrent()) {
            pool.borrow().close(); // idle connection at hand: no span
        } finally {
            request.end();
        }
        assertEquals(List.of("request"), spans.getFinishedSpanItems().stream().map(SpanData::getName).toList());
    }

    @Test
    void aBorrowThatOpensAConnectionInsideATraceShowsItsWaitAndConnect() throws Exception {
        ConnectionPool pool = pool(1, 1000, false);
        Span request = sdk.getTracer("test").spanBuilder("request").startSpan();
        try (Scope ignored = request.makeCurrent()) {
            pool.borrow().close();
        } finally {
            request.end();
        }
        SpanData wait = spans("pool-agent wait").get(0);
        SpanData connect = spans("pool-agent connect").get(0);
        assertEquals(request.getSpanContext().getSpanId(), wait.getParentSpanId());
        assertEquals(wait.getSpanId(), connect.getParentSpanId());
        assertEquals("acquired", wait.getAttributes().get(AttributeKey.stringKey("pool_agent.borrow.outcome")));
        assertEquals("postgresql", wait.getAttributes().get(AttributeKey.stringKey("db.system.name")));
        assertEquals("db.example", wait.getAttributes().get(AttributeKey.stringKey("server.address")));
        assertEquals(5433L, wait.getAttributes().get(AttributeKey.longKey("server.port")));
        assertEquals("orders", wait.getAttributes().get(AttributeKey.stringKey("db.namespace")));
    }

    /** The span attributes of a pool, as the registry would make it (name, database key, driver package). */
    private static io.opentelemetry.api.common.Attributes attributesOf(String name, String database, String driver) {
        return OtelPoolEvents.spanAttributes(TestPools.pool(name, database, driver,
                new PoolSettings(1, TimeUnit.SECONDS.toNanos(1), 5), p -> io.poolagent.pool.PoolEvents.NONE));
    }

    @Test
    void serverAndDatabaseComeFromTheDatabaseKeyNotFromThePoolName() {
        // A DataSource pool's name ends with the DataSource's class and method; the attributes must not.
        var pg = attributesOf("app@db.example:5433/orders (PGSimpleDataSource.getConnection())",
                "db.example:5433/orders", "org.postgresql.ds.");
        assertEquals("postgresql", pg.get(AttributeKey.stringKey("db.system.name")));
        assertEquals("orders", pg.get(AttributeKey.stringKey("db.namespace")));
        assertEquals("db.example", pg.get(AttributeKey.stringKey("server.address")));
        assertEquals(5433L, pg.get(AttributeKey.longKey("server.port")));

        // Other drivers' keys keep their scheme: the server is after "://", not the scheme.
        var h2 = attributesOf("sa@h2:tcp://db.example:9092/app (JdbcDataSource.getConnection())",
                "h2:tcp://db.example:9092/app", "org.h2.jdbcx.");
        assertEquals("h2database", h2.get(AttributeKey.stringKey("db.system.name")));
        assertEquals("db.example", h2.get(AttributeKey.stringKey("server.address")));
        assertEquals(9092L, h2.get(AttributeKey.longKey("server.port")));
        assertEquals("app", h2.get(AttributeKey.stringKey("db.namespace")));

        // A PostgreSQL key opened by the application's own DataSource class, and an Oracle thin URL.
        var ownDataSource = attributesOf("app@db.example:5432/orders (DirectPgDataSource.getConnection())",
                "db.example:5432/orders", "com.example.");
        assertEquals("db.example", ownDataSource.get(AttributeKey.stringKey("server.address")));
        assertEquals("orders", ownDataSource.get(AttributeKey.stringKey("db.namespace")));
        var oracle = attributesOf("scott@oracle:thin:@db.example:1521/svc", "oracle:thin:@db.example:1521/svc",
                "oracle.jdbc.");
        assertEquals("db.example", oracle.get(AttributeKey.stringKey("server.address")));
        assertEquals(1521L, oracle.get(AttributeKey.longKey("server.port")));
        assertEquals("svc", oracle.get(AttributeKey.stringKey("db.namespace")));
        var h2File = attributesOf("sa@h2:file:/data/app", "h2:file:/data/app", "org.h2.");
        assertEquals(null, h2File.get(AttributeKey.stringKey("server.address")));

        // No server to name: an in-memory database, several hosts, or a DataSource without a URL.
        var mem = attributesOf("sa@h2:mem:app", "h2:mem:app", "org.h2.");
        assertEquals(null, mem.get(AttributeKey.stringKey("server.address")));
        assertEquals(null, mem.get(AttributeKey.stringKey("db.namespace")));
        var twoHosts = attributesOf("app@a:5432,b:5432/orders", "a:5432,b:5432/orders", "org.postgresql.");
        assertEquals(null, twoHosts.get(AttributeKey.stringKey("server.address")));
        assertEquals("orders", twoHosts.get(AttributeKey.stringKey("db.namespace")));
        var noUrl = attributesOf("app@com.example.Pool (Pool.getConnection())", null, "com.example.");
        assertEquals(null, noUrl.get(AttributeKey.stringKey("server.address")));
        assertEquals("other_sql", noUrl.get(AttributeKey.stringKey("db.system.name")));
    }

    @Test
    void aTimeoutIsAnErrorSpan() throws Exception {
        ConnectionPool pool = pool(1, 50, false);
        Connection held = pool.borrow();
        Span request = sdk.getTracer("test").spanBuilder("request").startSpan();
        try (Scope ignored = request.makeCurrent()) {
            assertThrows(SQLTransientConnectionException.class, pool::borrow);
        } finally {
            request.end();
            held.close();
        }
        SpanData wait = spans("pool-agent wait").get(0);
        assertEquals(StatusCode.ERROR, wait.getStatus().getStatusCode());
        assertEquals("timeout", wait.getAttributes().get(AttributeKey.stringKey("error.type")));
    }

    @Test
    void traceAllBorrowsSpansEvenABorrowThatTookAnIdleConnection() throws Exception {
        ConnectionPool pool = pool(1, 1000, true);
        pool.borrow().close();
        Span request = sdk.getTracer("test").spanBuilder("request").startSpan();
        try (Scope ignored = request.makeCurrent()) {
            pool.borrow().close();
        } finally {
            request.end();
        }
        List<SpanData> borrows = spans("pool-agent borrow");
        assertEquals(1, borrows.size(), spans.getFinishedSpanItems().toString());
        assertEquals(request.getSpanContext().getSpanId(), borrows.get(0).getParentSpanId());
    }

    @Test
    void aLeakIsReportedInTheTraceThatTookTheConnection() throws Exception {
        ConnectionPool pool = pool(1, 1000, false);
        Span request = sdk.getTracer("test").spanBuilder("request").startSpan();
        Connection held;
        try (Scope ignored = request.makeCurrent()) {
            held = pool.borrow();
        } finally {
            request.end();
        }
        Thread.sleep(20); // past leak_detection_threshold=1ms
        TestPools.housekeep(pool);
        SpanData leak = spans("pool-agent leak").get(0);
        assertEquals(request.getSpanContext().getTraceId(), leak.getTraceId());
        assertEquals(request.getSpanContext().getSpanId(), leak.getParentSpanId());
        assertEquals(StatusCode.ERROR, leak.getStatus().getStatusCode());
        assertTrue(leak.getEvents().get(0).getAttributes().get(AttributeKey.stringKey("pool_agent.leak.report"))
                .startsWith("possible connection leak"));
        held.close();
    }

    @Test
    void systemNameFromTheDriversPackage() {
        assertEquals("h2database", OtelPoolEvents.systemName("org.h2."));
        assertEquals("other_sql", OtelPoolEvents.systemName(null));
    }
}
