package app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * An application instrumented with OpenTelemetry by hand, and no connection pool: every request runs in its own
 * SERVER span and opens its own connection (DriverManager, or a DataSource). It knows nothing of pool-agent.
 *
 * <pre>
 * OTEL_APP_SDK=none     (default) the API only: a no-op, unless the OpenTelemetry javaagent provides an SDK
 * OTEL_APP_SDK=startup  builds an SDK with in-memory exporters and registers it globally before any connection
 * OTEL_APP_SDK=late     the same, but only on GET /register-sdk, after the first connection was made
 * OTEL_APP_CONNECT=datasource   connections from a {@link PgDirectDataSource} instead of DriverManager
 *
 * GET /work?hold_ms=N    in a span "GET /work": connect, SELECT pg_sleep(N/1000), close;
 *                        answers "trace_id=&lt;id&gt; span_id=&lt;id&gt;" of the request span
 * GET /telemetry         with an SDK: what it collected, one line each:
 *                        SPAN name=.. trace_id=.. span_id=.. parent_span_id=.. kind=.. status=.. attributes={..}
 *                        METRIC name=.. unit=.. attributes={..} value=..   (histograms: count=.. sum=..)
 * GET /register-sdk      OTEL_APP_SDK=late: register the SDK now
 * GET /health
 * </pre>
 * Prints "LISTENING &lt;port&gt;" when ready.
 */
public final class OtelApp {

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final String sdkMode;
    /** Null: DriverManager. */
    private final PgDirectDataSource dataSource;
    private volatile InMemorySpanExporter spans;
    private volatile InMemoryMetricReader metrics;
    private volatile OpenTelemetrySdk sdk;

    private OtelApp(String jdbcUrl, String user, String password, String sdkMode, boolean viaDataSource) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.sdkMode = sdkMode;
        if (viaDataSource) {
            dataSource = new PgDirectDataSource();
            dataSource.setURL(jdbcUrl);
            dataSource.setUser(user);
            dataSource.setPassword(password);
        } else {
            dataSource = null;
        }
    }

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(System.getenv("DATABASE_URL").trim());
        String[] userInfo = uri.getUserInfo().split(":", 2);
        String path = uri.getPath();
        String jdbcUrl = "jdbc:postgresql://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort())
                + "/" + path.substring(1);
        String mode = System.getenv().getOrDefault("OTEL_APP_SDK", "none");
        boolean viaDataSource = System.getenv().getOrDefault("OTEL_APP_CONNECT", "drivermanager").equals("datasource");
        OtelApp app = new OtelApp(jdbcUrl, userInfo[0], userInfo.length > 1 ? userInfo[1] : null, mode,
                viaDataSource);
        if (mode.equals("startup")) {
            app.registerSdk();
        }
        // Start-up work outside any request, as a schema check would do: the first connection.
        try (Connection c = app.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        }
        app.serve();
    }

    private synchronized void registerSdk() {
        if (sdk != null) {
            return;
        }
        spans = InMemorySpanExporter.create();
        metrics = InMemoryMetricReader.create();
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
                .buildAndRegisterGlobal();
    }

    /** Before a late SDK is registered the app must not touch GlobalOpenTelemetry: get() would fix a no-op. */
    private OpenTelemetry openTelemetry() {
        return sdkMode.equals("late") && sdk == null ? OpenTelemetry.noop() : GlobalOpenTelemetry.get();
    }

    private Connection connect() throws SQLException {
        return dataSource != null ? dataSource.getConnection() : DriverManager.getConnection(jdbcUrl, user, password);
    }

    private void serve() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.setExecutor(Executors.newFixedThreadPool(32));
        server.createContext("/", this::handle);
        server.start();
        System.out.println("LISTENING " + server.getAddress().getPort());
        System.out.flush();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> query = parseQuery(exchange.getRequestURI().getRawQuery());
            try {
                switch (exchange.getRequestURI().getPath()) {
                    case "/health" -> respond(exchange, 200, "ok");
                    case "/work" -> respond(exchange, 200, work(Long.parseLong(query.getOrDefault("hold_ms", "50"))));
                    case "/telemetry" -> respond(exchange, 200, telemetry());
                    case "/register-sdk" -> {
                        registerSdk();
                        respond(exchange, 200, "registered");
                    }
                    default -> respond(exchange, 404, "not found");
                }
            } catch (SQLException | RuntimeException e) {
                respond(exchange, 500, e.toString());
            }
        }
    }

    private String work(long holdMillis) throws SQLException {
        Tracer tracer = openTelemetry().getTracer("otel-app");
        Span request = tracer.spanBuilder("GET /work").setSpanKind(SpanKind.SERVER).startSpan();
        try (Scope ignored = request.makeCurrent()) {
            try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT pg_sleep(?)")) {
                ps.setDouble(1, holdMillis / 1000.0);
                ps.execute();
            }
            SpanContext sc = request.getSpanContext();
            return "trace_id=" + sc.getTraceId() + " span_id=" + sc.getSpanId();
        } catch (SQLException e) {
            request.recordException(e);
            throw e;
        } finally {
            request.end();
        }
    }

    private String telemetry() {
        if (sdk == null) {
            return "no sdk";
        }
        sdk.getSdkTracerProvider().forceFlush();
        StringBuilder out = new StringBuilder();
        for (SpanData s : spans.getFinishedSpanItems()) {
            out.append("SPAN name=").append(s.getName()).append(" trace_id=").append(s.getTraceId())
                    .append(" span_id=").append(s.getSpanId()).append(" parent_span_id=").append(s.getParentSpanId())
                    .append(" kind=").append(s.getKind()).append(" status=").append(s.getStatus().getStatusCode())
                    .append(" attributes=").append(format(s.getAttributes())).append('\n');
        }
        for (MetricData m : metrics.collectAllMetrics()) {
            for (PointData p : m.getData().getPoints()) {
                out.append("METRIC name=").append(m.getName()).append(" unit=").append(m.getUnit())
                        .append(" attributes=").append(format(p.getAttributes()));
                if (p instanceof HistogramPointData h) {
                    out.append(" count=").append(h.getCount()).append(" sum=").append(h.getSum());
                } else if (p instanceof io.opentelemetry.sdk.metrics.data.LongPointData l) {
                    out.append(" value=").append(l.getValue());
                } else if (p instanceof io.opentelemetry.sdk.metrics.data.DoublePointData d) {
                    out.append(" value=").append(d.getValue());
                }
                out.append('\n');
            }
        }
        String text = out.toString();
        System.out.print(text);
        System.out.flush();
        return text;
    }

    /** {k=v, k2=v2}, sorted by key, the same for every SDK version. */
    private static String format(io.opentelemetry.api.common.Attributes attributes) {
        java.util.TreeMap<String, String> sorted = new java.util.TreeMap<>();
        attributes.forEach((k, v) -> sorted.put(k.getKey(), String.valueOf(v)));
        return sorted.toString();
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return q;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
