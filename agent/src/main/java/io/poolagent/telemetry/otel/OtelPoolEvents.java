package io.poolagent.telemetry.otel;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.DoubleHistogramBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.poolagent.log.AgentLog;
import io.poolagent.pool.ConnectionPool;
import io.poolagent.pool.PoolEvents;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A pool's events as OpenTelemetry metrics and spans.
 *
 * <p>Compiled against the bundled API but loaded either beside it or, for an application's own SDK, in a loader
 * that links it to the application's API ({@code ApplicationApiLoader}). So it uses only API calls that exist since
 * 1.15 (batchCallback), and histogram advice only where the API has it. It never calls GlobalOpenTelemetry: it is
 * handed the OpenTelemetry to use.
 *
 * <p>Metrics follow the semantic conventions for connection pools (semconv 1.45, where {@code .max} became
 * {@code .limit}), times in seconds; the leak counter is our own. Spans are INTERNAL and made only inside a trace
 * (a valid current span): "pool-agent wait" for a borrow that found no idle connection, "pool-agent connect" for a
 * physical connection opened on a borrower's behalf, "pool-agent leak" in the trace that took a leaked connection,
 * and with trace_all_borrows "pool-agent borrow" for the borrows that took an idle connection at once.
 */
public final class OtelPoolEvents implements PoolEvents {

    static final String SCOPE = "io.poolagent";

    // Attribute names, copied from the semantic conventions (the incubating semconv artifact is not shipped).
    static final AttributeKey<String> POOL_NAME = AttributeKey.stringKey("db.client.connection.pool.name");
    static final AttributeKey<String> STATE = AttributeKey.stringKey("db.client.connection.state");
    static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");
    static final AttributeKey<String> DB_NAMESPACE = AttributeKey.stringKey("db.namespace");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    /** How a traced borrow ended: acquired, timeout or error. Ours; semconv has no acquire span. */
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("pool_agent.borrow.outcome");
    static final AttributeKey<String> LEAK_REPORT = AttributeKey.stringKey("pool_agent.leak.report");

    /** The advice semconv gives db.client.operation.duration; none is given for the pool's times. */
    private static final List<Double> SECONDS_BUCKETS = List.of(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0);
    private static final double NANOS_PER_SECOND = 1e9;

    /** The wait span of this thread's current borrow, the parent of a connect span it causes. */
    private static final ThreadLocal<Span> WAITING = new ThreadLocal<>();

    private final ConnectionPool pool;
    private final Tracer tracer;
    private final boolean traceAllBorrows;
    private final Attributes poolAttributes;
    private final Attributes spanAttributes;
    private final DoubleHistogram createTime;
    private final DoubleHistogram waitTime;
    private final DoubleHistogram useTime;

    private OtelPoolEvents(ConnectionPool pool, OpenTelemetry openTelemetry, boolean traceAllBorrows) {
        this.pool = pool;
        this.traceAllBorrows = traceAllBorrows;
        this.tracer = openTelemetry.getTracer(SCOPE);
        Meter meter = openTelemetry.getMeter(SCOPE);
        this.poolAttributes = Attributes.of(POOL_NAME, pool.name());
        this.spanAttributes = spanAttributes(pool);
        this.createTime = histogram(meter, "db.client.connection.create_time",
                "The time it took to create a new connection.");
        this.waitTime = histogram(meter, "db.client.connection.wait_time",
                "The time it took to obtain an open connection from the pool.");
        this.useTime = histogram(meter, "db.client.connection.use_time",
                "The time between borrowing a connection and returning it to the pool.");
        observe(meter);
    }

    /**
     * Typed loosely because the caller may see another copy of the API than this class does.
     *
     * @param openTelemetry an {@code io.opentelemetry.api.OpenTelemetry} of the API this class is linked to
     */
    public static PoolEvents create(Object openTelemetry, ConnectionPool pool, boolean traceAllBorrows) {
        return new OtelPoolEvents(pool, (OpenTelemetry) openTelemetry, traceAllBorrows);
    }

    /**
     * Whether an application's global OpenTelemetry is only the no-op its API installs when get() is called before
     * any SDK was registered: reporting to it would cost without showing anything.
     */
    public static boolean isNoop(Object openTelemetry) {
        OpenTelemetry o = (OpenTelemetry) openTelemetry;
        return o.getTracerProvider() == io.opentelemetry.api.trace.TracerProvider.noop()
                && o.getMeterProvider() == io.opentelemetry.api.metrics.MeterProvider.noop();
    }

    private static DoubleHistogram histogram(Meter meter, String name, String description) {
        DoubleHistogramBuilder b = meter.histogramBuilder(name).setUnit("s").setDescription(description);
        try {
            b = b.setExplicitBucketBoundariesAdvice(SECONDS_BUCKETS);
        } catch (LinkageError olderApi) {
            // an application API before 1.32: the SDK's default buckets
        }
        return b.build();
    }

    /** The gauges and counters the pool already keeps, read at each collection: nothing on the hot path. */
    private void observe(Meter meter) {
        ObservableLongMeasurement count = meter.upDownCounterBuilder("db.client.connection.count")
                .setUnit("{connection}").setDescription("The number of connections that are currently in the state"
                        + " described by the state attribute.").buildObserver();
        ObservableLongMeasurement idleMax = meter.upDownCounterBuilder("db.client.connection.idle.max")
                .setUnit("{connection}").setDescription("The maximum number of idle open connections allowed.")
                .buildObserver();
        ObservableLongMeasurement idleMin = meter.upDownCounterBuilder("db.client.connection.idle.min")
                .setUnit("{connection}").setDescription("The minimum number of idle open connections allowed.")
                .buildObserver();
        ObservableLongMeasurement limit = meter.upDownCounterBuilder("db.client.connection.limit")
                .setUnit("{connection}").setDescription("The maximum number of open connections allowed.")
                .buildObserver();
        ObservableLongMeasurement pending = meter.upDownCounterBuilder("db.client.connection.pending_requests")
                .setUnit("{request}").setDescription("The number of current pending requests for an open connection.")
                .buildObserver();
        ObservableLongMeasurement timeouts = meter.counterBuilder("db.client.connection.timeouts")
                .setUnit("{timeout}").setDescription("The number of connection timeouts that have occurred trying to"
                        + " obtain a connection from the pool.").buildObserver();
        ObservableLongMeasurement leaks = meter.counterBuilder("pool_agent.connection.leaks")
                .setUnit("{leak}").setDescription("Connections reported as leaked: held past"
                        + " leak_detection_threshold, or dropped without close().").buildObserver();
        Attributes idle = poolAttributes.toBuilder().put(STATE, "idle").build();
        Attributes used = poolAttributes.toBuilder().put(STATE, "used").build();
        meter.batchCallback(() -> {
            count.record(pool.idleCount(), idle);
            count.record(pool.activeCount(), used);
            // Every connection may sit idle; none is closed for being idle beyond min_idle until idle_timeout.
            idleMax.record(pool.limit(), poolAttributes);
            idleMin.record(pool.settings().minIdle(), poolAttributes);
            limit.record(pool.limit(), poolAttributes);
            pending.record(pool.pendingCount(), poolAttributes);
            timeouts.record(pool.timeoutCount(), poolAttributes);
            leaks.record(pool.leakCount(), poolAttributes);
        }, count, idleMax, idleMin, limit, pending, timeouts, leaks);
    }

    /** A key in the form DatabaseKey gives PostgreSQL URLs: {@code host:port[,host:port]/name}. */
    private static final Pattern HOSTS_AND_NAME = Pattern.compile("[^/,@]+:\\d+(,[^/,@]+:\\d+)*/.*");

    /**
     * db.system.name, and what the pool's database key tells of the server: {@code host:port/name} (PostgreSQL's
     * keys, whatever class opened the connections), {@code scheme://host[:port]/name...} for URL-shaped keys of
     * other drivers, {@code ...@host:port/name} for Oracle's thin URLs. Nothing more for keys of other shapes (e.g.
     * {@code h2:mem:app}), for several hosts, or without a key.
     */
    static Attributes spanAttributes(ConnectionPool pool) {
        AttributesBuilder b = Attributes.builder().put(POOL_NAME, pool.name())
                .put(DB_SYSTEM_NAME, systemName(pool.driverPackage()));
        String key = pool.database();
        if (key == null) {
            return b.build();
        }
        int scheme = key.indexOf("://");
        int at = key.lastIndexOf('@');
        String rest = scheme >= 0 ? key.substring(scheme + 3) : at >= 0 ? key.substring(at + 1) : key;
        if (scheme < 0 && !HOSTS_AND_NAME.matcher(rest).matches()) {
            return b.build();
        }
        int slash = rest.indexOf('/');
        String hostPort = rest.substring(0, slash < 0 ? rest.length() : slash);
        if (slash >= 0 && slash + 1 < rest.length()) {
            b.put(DB_NAMESPACE, rest.substring(slash + 1));
        }
        if (!hostPort.isEmpty() && hostPort.indexOf(',') < 0) {
            int colon = hostPort.lastIndexOf(':');
            int bracket = hostPort.lastIndexOf(']');
            if (colon > bracket && colon > 0) {
                b.put(SERVER_ADDRESS, hostPort.substring(0, colon));
                try {
                    b.put(SERVER_PORT, Long.parseLong(hostPort.substring(colon + 1)));
                } catch (NumberFormatException ignored) {
                    // not a port after all
                }
            } else {
                b.put(SERVER_ADDRESS, hostPort);
            }
        }
        return b.build();
    }

    /** The semconv db.system.name of a driver, from its package. */
    static String systemName(String driverPackage) {
        String p = driverPackage == null ? "" : driverPackage;
        if (p.startsWith("org.postgresql.")) {
            return "postgresql";
        } else if (p.startsWith("com.mysql.")) {
            return "mysql";
        } else if (p.startsWith("org.mariadb.")) {
            return "mariadb";
        } else if (p.startsWith("org.h2.")) {
            return "h2database";
        } else if (p.startsWith("org.hsqldb.")) {
            return "hsqldb";
        } else if (p.startsWith("org.sqlite.")) {
            return "sqlite";
        } else if (p.startsWith("oracle.")) {
            return "oracle.db";
        } else if (p.startsWith("com.microsoft.sqlserver.")) {
            return "microsoft.sql_server";
        }
        return "other_sql";
    }

    /** The pool's attributes on a span; by hand, as SpanBuilder.setAllAttributes is not in every 1.x API. */
    @SuppressWarnings("unchecked")
    private SpanBuilder described(SpanBuilder builder) {
        spanAttributes.forEach((key, value) -> builder.setAttribute((AttributeKey<Object>) key, value));
        return builder;
    }

    // ------------------------------------------------------------------------------------------- hot path

    @Override
    public Object borrowContext() {
        SpanContext context = Span.current().getSpanContext();
        return context.isValid() ? context : null;
    }

    @Override
    public void borrowed(long waitNanos) {
        waitTime.record(waitNanos / NANOS_PER_SECOND, poolAttributes);
        if (traceAllBorrows && waitNanos == 0) {
            Context parent = Context.current();
            if (Span.fromContext(parent).getSpanContext().isValid()) {
                described(tracer.spanBuilder("pool-agent borrow")).setParent(parent)
                        .setSpanKind(SpanKind.INTERNAL).setAttribute(OUTCOME, "acquired").startSpan().end();
            }
        }
    }

    @Override
    public void returned(long heldNanos) {
        useTime.record(heldNanos / NANOS_PER_SECOND, poolAttributes);
    }

    // ------------------------------------------------------------------------------------------ slow path

    @Override
    public Object waitStarted() {
        Context parent = Context.current();
        if (!Span.fromContext(parent).getSpanContext().isValid()) {
            return null; // outside a trace a wait is counted, not traced
        }
        Span span = described(tracer.spanBuilder("pool-agent wait")).setParent(parent)
                .setSpanKind(SpanKind.INTERNAL).startSpan();
        WAITING.set(span);
        return span;
    }

    @Override
    public void waitEnded(Object token, long waitNanos, SQLException failure) {
        if (!(token instanceof Span)) {
            return;
        }
        Span span = (Span) token;
        if (WAITING.get() == span) {
            WAITING.remove();
        }
        if (failure == null) {
            span.setAttribute(OUTCOME, "acquired");
        } else {
            boolean timeout = failure instanceof SQLTransientConnectionException;
            span.setAttribute(OUTCOME, timeout ? "timeout" : "error");
            span.setAttribute(ERROR_TYPE, timeout ? "timeout" : failure.getClass().getName());
            span.setStatus(StatusCode.ERROR, firstLine(failure.getMessage()));
        }
        span.end();
    }

    @Override
    public Object createStarted() {
        Span waiting = WAITING.get();
        Context parent = waiting != null ? Context.current().with(waiting) : Context.current();
        if (!Span.fromContext(parent).getSpanContext().isValid()) {
            return null; // the housekeeper topping up min_idle: no trace to show it in
        }
        return described(tracer.spanBuilder("pool-agent connect")).setParent(parent)
                .setSpanKind(SpanKind.INTERNAL).startSpan();
    }

    @Override
    public void createEnded(Object token, long createNanos, SQLException failure) {
        if (failure == null) {
            createTime.record(createNanos / NANOS_PER_SECOND, poolAttributes);
        }
        if (token instanceof Span) {
            Span span = (Span) token;
            if (failure != null) {
                span.setAttribute(ERROR_TYPE, failure.getClass().getName());
                span.setStatus(StatusCode.ERROR, firstLine(failure.getMessage()));
            }
            span.end();
        }
    }

    /**
     * A leak report in the trace of the request that took the connection: a span there (that request's span may
     * have ended; a backend still shows it in the trace), and a log line naming the trace for those who search logs.
     */
    @Override
    public void leakReported(Object context, String report) {
        if (!(context instanceof SpanContext)) {
            return;
        }
        SpanContext taken = (SpanContext) context;
        Span span = described(tracer.spanBuilder("pool-agent leak"))
                .setParent(Context.root().with(Span.wrap(taken))).setSpanKind(SpanKind.INTERNAL).startSpan();
        span.addEvent("pool_agent.leak", Attributes.of(LEAK_REPORT, report));
        span.setStatus(StatusCode.ERROR, firstLine(report));
        span.end();
        AgentLog.notice("the connection of " + pool.name() + " reported above was taken in trace_id="
                + taken.getTraceId() + " span_id=" + taken.getSpanId());
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
