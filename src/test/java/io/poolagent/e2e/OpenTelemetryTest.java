package io.poolagent.e2e;

import io.poolagent.harness.AppUnderTest;
import io.poolagent.harness.Artifacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The pool's metrics and spans in the three settings users have: no OpenTelemetry at all, an application that
 * registers its own SDK, and the OpenTelemetry javaagent beside ours (in both -javaagent orders). The app
 * (test-apps/otel-app) serves each request in its own span and opens a connection per request (DriverManager, or
 * a DataSource it builds); a small connection_limit and concurrent requests make borrowers wait.
 */
class OpenTelemetryTest extends DatabaseTest {

    private static final String APP = "otel-app";
    private static final List<String> POOL_METRICS = List.of("db.client.connection.count",
            "db.client.connection.idle.max", "db.client.connection.idle.min", "db.client.connection.limit",
            "db.client.connection.pending_requests", "db.client.connection.timeouts",
            "db.client.connection.create_time", "db.client.connection.wait_time", "db.client.connection.use_time",
            "pool_agent.connection.leaks");

    /** The pool's name as users see it: user@host:port/database, never a password. */
    private static String poolName() {
        return db.appUser() + "@" + db.host() + ":" + db.port() + "/" + db.database();
    }

    /** A request's span as the app reports it: "trace_id=... span_id=...". */
    private record RequestSpan(String traceId, String spanId) {
        static RequestSpan parse(AppUnderTest.Response r) {
            assertEquals(200, r.status(), r.body());
            Matcher m = Pattern.compile("trace_id=(\\w+) span_id=(\\w+)").matcher(r.body());
            assertTrue(m.find(), r.body());
            return new RequestSpan(m.group(1), m.group(2));
        }
    }

    /** n requests at once, each holding its connection holdMillis: with a small pool, some must wait. */
    private static List<RequestSpan> burst(AppUnderTest app, int n, long holdMillis) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<AppUnderTest.Response>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> app.get("/work?hold_ms=" + holdMillis)));
            }
            List<RequestSpan> spans = new ArrayList<>();
            for (Future<AppUnderTest.Response> f : futures) {
                spans.add(RequestSpan.parse(f.get()));
            }
            return spans;
        } finally {
            pool.shutdownNow();
        }
    }

    private static AppUnderTest.Builder app(String query) {
        return AppUnderTest.app(APP).databaseUrl(db.databaseUrl(query));
    }

    private static List<String> lines(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).toList();
    }

    // ------------------------------------------------------------------------------------ (a) none at all

    @Test
    void withoutOpenTelemetryThePoolWorksAndSaysNothingOfIt() throws Exception {
        try (AppUnderTest app = app("connection_limit=1").withAgent().start()) {
            burst(app, 3, 200);
            String log = app.stderr();
            assertTrue(log.contains("[pool-agent] INFO pool " + poolName()), "the pool was used:\n" + log);
            assertFalse(log.contains("[pool-agent] WARN") || log.contains("[pool-agent] ERROR")
                    || log.contains("Exception"), log);
            assertFalse(log.contains("OpenTelemetry"), "no OpenTelemetry, nothing to report to:\n" + log);
        }
    }

    // ------------------------------------------------------------------------- (b) the application's SDK

    @Test
    void theApplicationsOwnSdkGetsPoolMetricsAndAWaitSpanInTheRequestsTrace() throws Exception {
        try (AppUnderTest app = app("connection_limit=2").withAgent().env("OTEL_APP_SDK", "startup").start()) {
            List<RequestSpan> requests = burst(app, 4, 500);
            String telemetry = app.get("/telemetry").body();
            assertPoolMetrics(telemetry);
            assertTrue(telemetry.contains("METRIC name=db.client.connection.limit unit={connection} attributes={"
                    + "db.client.connection.pool.name=" + poolName() + "} value=2"), telemetry);

            List<String> waits = lines(telemetry, "SPAN name=pool-agent wait ");
            assertFalse(waits.isEmpty(), "4 requests on 2 connections: some waited\n" + telemetry);
            for (String wait : waits) {
                // parented on the request's own span: the request's trace shows where it waited
                assertTrue(requests.stream().anyMatch(r -> wait.contains(" trace_id=" + r.traceId() + " ")
                        && wait.contains(" parent_span_id=" + r.spanId() + " ")), wait + "\n" + requests);
                assertTrue(wait.contains("kind=INTERNAL status=UNSET") && wait.contains("pool_agent.borrow.outcome=acquired")
                        && wait.contains("db.client.connection.pool.name=" + poolName())
                        && wait.contains("db.system.name=postgresql") && wait.contains("server.port=" + db.port()),
                        wait);
            }
            // The second connection was opened for a request that found none idle: a connect span under its wait.
            List<String> connects = lines(telemetry, "SPAN name=pool-agent connect ");
            assertEquals(1, connects.size(), telemetry);
            Matcher parent = Pattern.compile("parent_span_id=(\\w+)").matcher(connects.get(0));
            assertTrue(parent.find());
            assertTrue(waits.stream().anyMatch(w -> w.contains(" span_id=" + parent.group(1) + " ")), telemetry);
            assertFalse(app.stderr().contains("[pool-agent] WARN"), app.stderr());
        }
    }

    /**
     * A DataSource pool (a class named in pooled_datasources that builds its pgjdbc connections itself) has a name of
     * its own, not a URL: its spans still name the database system, server and database, read from the DataSource's
     * URL. The DataSource is the application's own class: a leak report still shows the application's frames.
     */
    @Test
    void aDataSourcePoolsSpansNameItsServerAndDatabase() throws Exception {
        // A threshold well above the burst's holds, so that only the held request below is reported.
        try (AppUnderTest app = app("connection_limit=2&leak_detection_threshold=2")
                .withAgent("pooled_datasources=app.PgDirectDataSource")
                .env("OTEL_APP_SDK", "startup").env("OTEL_APP_CONNECT", "datasource").start()) {
            List<RequestSpan> requests = burst(app, 4, 500);
            Matcher created = Pattern.compile(
                    "\\[pool-agent\\] INFO pool (\\S+ \\(PgDirectDataSource\\.getConnection\\(\\)\\)): ")
                    .matcher(app.stderr());
            assertTrue(created.find(), "the DataSource was pooled:\n" + app.stderr());
            String pool = created.group(1);
            String telemetry = app.get("/telemetry").body();
            assertTrue(telemetry.contains("METRIC name=db.client.connection.limit unit={connection} attributes={"
                    + "db.client.connection.pool.name=" + pool + "} value=2"), pool + "\n" + telemetry);
            List<String> waits = lines(telemetry, "SPAN name=pool-agent wait ");
            assertFalse(waits.isEmpty(), "4 requests on 2 connections: some waited\n" + telemetry);
            for (String wait : waits) {
                assertTrue(requests.stream().anyMatch(r -> wait.contains(" trace_id=" + r.traceId() + " ")), wait);
                assertTrue(wait.contains("db.client.connection.pool.name=" + pool)
                        && wait.contains("db.namespace=" + db.database()) && wait.contains("db.system.name=postgresql")
                        && wait.contains("server.address=" + db.host()) && wait.contains("server.port=" + db.port()),
                        wait);
            }
            assertFalse(app.stderr().contains("[pool-agent] WARN"), app.stderr());

            assertEquals(200, app.get("/work?hold_ms=3500").status());
            String log = app.stderr();
            assertTrue(log.contains("WARN possible connection leak")
                    && log.contains("\n\tat app.OtelApp.work(OtelApp.java:"), "the application's frames:\n" + log);
        }
    }

    @Test
    void aTimeoutIsAnErrorSpanAndCounted() throws Exception {
        try (AppUnderTest app = app("connection_limit=1&pool_timeout=1").withAgent().env("OTEL_APP_SDK", "startup")
                .start()) {
            ExecutorService hog = Executors.newSingleThreadExecutor();
            try {
                Future<AppUnderTest.Response> holder = hog.submit(() -> app.get("/work?hold_ms=3000"));
                Thread.sleep(500);
                AppUnderTest.Response starved = app.get("/work?hold_ms=1");
                assertEquals(500, starved.status(), starved.body());
                assertEquals(200, holder.get().status());
            } finally {
                hog.shutdownNow();
            }
            String telemetry = app.get("/telemetry").body();
            List<String> failed = lines(telemetry, "SPAN name=pool-agent wait ").stream()
                    .filter(l -> l.contains("status=ERROR")).toList();
            assertEquals(1, failed.size(), telemetry);
            assertTrue(failed.get(0).contains("error.type=timeout")
                    && failed.get(0).contains("pool_agent.borrow.outcome=timeout"), failed.get(0));
            assertTrue(telemetry.contains("METRIC name=db.client.connection.timeouts unit={timeout} attributes={"
                    + "db.client.connection.pool.name=" + poolName() + "} value=1"), telemetry);
        }
    }

    @Test
    void aLeakIsReportedInTheTraceThatTookTheConnection() throws Exception {
        try (AppUnderTest app = app("connection_limit=2&leak_detection_threshold=1").withAgent()
                .env("OTEL_APP_SDK", "startup").start()) {
            RequestSpan holder = RequestSpan.parse(app.get("/work?hold_ms=2500"));
            String telemetry = app.get("/telemetry").body();
            List<String> leaks = lines(telemetry, "SPAN name=pool-agent leak ");
            assertEquals(1, leaks.size(), telemetry);
            assertTrue(leaks.get(0).contains(" trace_id=" + holder.traceId() + " parent_span_id=")
                    || leaks.get(0).contains(" trace_id=" + holder.traceId() + " "), leaks.get(0));
            assertTrue(leaks.get(0).contains(" parent_span_id=" + holder.spanId() + " ")
                    && leaks.get(0).contains("status=ERROR"), leaks.get(0));
            assertTrue(telemetry.contains("METRIC name=pool_agent.connection.leaks unit={leak} attributes={"
                    + "db.client.connection.pool.name=" + poolName() + "} value=1"), telemetry);
            String log = app.stderr();
            assertTrue(log.contains("WARN possible connection leak") && log.contains("reported above was taken in"
                    + " trace_id=" + holder.traceId() + " span_id=" + holder.spanId()), log);
        }
    }

    @Test
    void anSdkRegisteredAfterTheFirstConnectionIsPickedUp() throws Exception {
        try (AppUnderTest app = app("connection_limit=2").withAgent().env("OTEL_APP_SDK", "late").start()) {
            // The app connected once at start-up, before it had an SDK: the pool exists, unbound.
            assertEquals("registered", app.get("/register-sdk").body());
            Thread.sleep(1500); // the pool looks again at most once a second, at its next wait
            List<RequestSpan> requests = burst(app, 4, 500);
            String telemetry = app.get("/telemetry").body();
            // Not create_time: the one connection opened in the burst may be opened while the first waiter binds.
            assertPoolMetrics(telemetry, POOL_METRICS.stream().filter(m -> !m.endsWith("create_time")).toList());
            assertTrue(lines(telemetry, "SPAN name=pool-agent wait ").stream().anyMatch(w -> requests.stream()
                    .anyMatch(r -> w.contains(" trace_id=" + r.traceId() + " "))), telemetry);
        }
    }

    private static void assertPoolMetrics(String telemetry) {
        assertPoolMetrics(telemetry, POOL_METRICS);
    }

    private static void assertPoolMetrics(String telemetry, List<String> names) {
        String pool = "db.client.connection.pool.name=" + poolName();
        for (String name : names) {
            assertTrue(lines(telemetry, "METRIC name=" + name + " ").stream().anyMatch(l -> l.contains(pool)),
                    name + " for " + pool + " missing:\n" + telemetry);
        }
        for (String state : List.of("idle", "used")) {
            assertTrue(lines(telemetry, "METRIC name=db.client.connection.count ").stream()
                    .anyMatch(l -> l.contains(pool) && l.contains("db.client.connection.state=" + state)),
                    state + "\n" + telemetry);
        }
        assertTrue(telemetry.contains("METRIC name=db.client.connection.wait_time unit=s "), telemetry);
        assertFalse(telemetry.contains("password") || telemetry.contains(db.appPassword()), telemetry);
    }

    // --------------------------------------------------------------- (c) the OpenTelemetry javaagent beside ours

    @ParameterizedTest(name = "{0} first")
    @ValueSource(strings = {"pool-agent", "opentelemetry"})
    void theOpenTelemetryJavaagentExportsOurMetricsAndSpansBesideItsOwnJdbcSpans(String first) throws Exception {
        Path otel = openTelemetryJavaagent();
        AppUnderTest.Builder b = app("connection_limit=2")
                .env("OTEL_TRACES_EXPORTER", "logging").env("OTEL_METRICS_EXPORTER", "logging")
                .env("OTEL_LOGS_EXPORTER", "none").env("OTEL_METRIC_EXPORT_INTERVAL", "1000")
                .env("OTEL_SERVICE_NAME", "otel-app")
                .startTimeout(Duration.ofSeconds(180));
        if (first.equals("pool-agent")) {
            b.withAgent().jvmOptions("-javaagent:" + otel);
        } else {
            b.jvmOptions("-javaagent:" + otel, "-javaagent:" + Artifacts.agentJar());
        }
        try (AppUnderTest app = b.start()) {
            List<RequestSpan> requests = burst(app, 4, 500);
            String pool = "db.client.connection.pool.name=\"" + poolName() + "\"";
            String log = awaitStderr(app, l -> l.contains("name=db.client.connection.wait_time") && l.contains(pool),
                    Duration.ofSeconds(30));
            for (String name : POOL_METRICS) {
                assertTrue(log.lines().anyMatch(l -> l.contains("name=" + name + ",") && l.contains(pool)),
                        name + " for " + pool + " missing:\n" + log);
            }
            // LoggingSpanExporter: 'name' : <trace id> <span id> <kind> [tracer: ...] attributes
            List<String> waits = log.lines().filter(l -> l.contains("'pool-agent wait' : ")).toList();
            assertFalse(waits.isEmpty(), log);
            assertTrue(waits.stream().allMatch(w -> requests.stream().anyMatch(r -> w.contains(" : " + r.traceId() + " "))),
                    "each wait span is in the trace of a request:\n" + waits + "\n" + requests);
            // The javaagent's own JDBC instrumentation still sees the statements, through our pooled connection.
            assertTrue(log.lines().anyMatch(l -> l.contains("'SELECT ") && l.contains(" CLIENT ")
                    && requests.stream().anyMatch(r -> l.contains(" : " + r.traceId() + " "))),
                    "the javaagent's JDBC span is missing:\n" + log);
            assertFalse(log.contains("[pool-agent] WARN") || log.contains("[pool-agent] ERROR"), log);
        }
    }

    private static Path openTelemetryJavaagent() {
        String property = System.getProperty("poolagent.opentelemetry.javaagent");
        if (property == null || !Files.isRegularFile(Path.of(property))) {
            fail("the OpenTelemetry javaagent jar is missing (" + property + "): src/pom.xml downloads it from Maven"
                    + " Central in generate-test-resources; run mvn -B verify (or package) with network access");
        }
        return Path.of(property);
    }

    private static String awaitStderr(AppUnderTest app, java.util.function.Predicate<String> line, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String log = app.stderr();
            if (log.lines().anyMatch(line)) {
                return log;
            }
            Thread.sleep(200);
        }
        return app.stderr();
    }
}
