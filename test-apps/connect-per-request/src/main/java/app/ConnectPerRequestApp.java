package app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The kind of application pool-agent exists for: no pool, one new {@code DriverManager} connection per unit of work,
 * configured the Heroku way from {@code DATABASE_URL}. It knows nothing of the agent.
 *
 * <pre>
 * serve                       HTTP server on $PORT (0 = ephemeral); prints "LISTENING &lt;port&gt;" when ready
 *                               GET /work?hold_ms=50  connect, SELECT pg_sleep(hold_ms/1000.0), close
 *                               GET /uncommitted      connect, autocommit off, insert, close without commit
 *                               GET /count            rows in events
 *                               GET /prepared?n=10&hold_ms=0  connect, wait hold_ms, run one PreparedStatement n
 *                                                     times (pgjdbc prepares it on the server from the 5th), close
 *                               GET /setting?name=search_path  current_setting(name, true) on a fresh connection
 *                               GET /health           no database
 * loop --threads 8 --seconds 10 [--pool none|hikari] [--warmup-seconds 2]
 *                             connect / SELECT 1 / close in a loop; prints
 *                             "RESULT ops=&lt;n&gt; seconds=&lt;s&gt; ops_per_sec=&lt;x&gt; errors=&lt;e&gt;"
 * </pre>
 */
public final class ConnectPerRequestApp {

    /** Enough handler threads that 150 concurrent requests all run at once instead of queueing in the server. */
    private static final int HTTP_THREADS = 200;

    private final String jdbcUrl;
    private final String user;
    private final String password;

    private ConnectPerRequestApp(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "serve";
        ConnectPerRequestApp app;
        try {
            app = fromDatabaseUrl(System.getenv("DATABASE_URL"));
        } catch (IllegalArgumentException e) {
            System.err.println("bad DATABASE_URL: " + e.getMessage());
            System.exit(2);
            return;
        }
        switch (mode) {
            case "serve" -> app.serve();
            case "loop" -> app.loop(parseOptions(args, 1));
            default -> {
                System.err.println("unknown mode '" + mode + "' (expected serve or loop)");
                System.exit(2);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------- config

    /** postgresql://user:pass@host:port/db?params → jdbc:postgresql://host:port/db; the query is ignored. */
    static ConnectPerRequestApp fromDatabaseUrl(String databaseUrl) {
        if (databaseUrl == null || databaseUrl.isBlank()) {
            throw new IllegalArgumentException("DATABASE_URL is not set");
        }
        URI uri = URI.create(databaseUrl.trim());
        String scheme = uri.getScheme();
        if (!"postgresql".equals(scheme) && !"postgres".equals(scheme)) {
            throw new IllegalArgumentException("expected postgresql://..., got scheme " + scheme);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("no host in DATABASE_URL");
        }
        String user = null;
        String password = null;
        // Raw form: a ':' or '@' inside the password is percent-encoded, so split before decoding.
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = percentDecode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : percentDecode(userInfo.substring(colon + 1));
        }
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = percentDecode(path.startsWith("/") ? path.substring(1) : path);
        String query = System.getenv("APP_JDBC_QUERY");
        String jdbcUrl = "jdbc:postgresql://" + uri.getHost() + ":" + port + "/" + database
                + (query == null || query.isBlank() ? "" : "?" + query.trim());
        return new ConnectPerRequestApp(jdbcUrl, user, password);
    }

    /** RFC 3986 percent-decoding; unlike URLDecoder it leaves '+' alone, which is literal in user info. */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        int i = 0;
        while (i < s.length()) {
            int percent = s.indexOf('%', i);
            int end = percent < 0 ? s.length() : percent;
            out.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
            if (percent < 0) {
                break;
            }
            if (percent + 3 > s.length()) {
                throw new IllegalArgumentException("truncated %-escape in " + s);
            }
            out.write(Integer.parseInt(s, percent + 1, percent + 3, 16));
            i = percent + 3;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * APP_URL_STYLE=raw: hand DATABASE_URL to DriverManager as it is, as apps that read it themselves often do
     * (without help, no driver takes a postgresql:// URL). Otherwise the Heroku way above, with APP_JDBC_QUERY
     * (e.g. currentSchema=x), if set, as the JDBC URL's query.
     */
    private Connection connect() throws SQLException {
        if (RAW_URL != null) {
            return DriverManager.getConnection(RAW_URL);
        }
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    private static final String RAW_URL = "raw".equals(System.getenv("APP_URL_STYLE"))
            ? System.getenv("DATABASE_URL").trim() : null;

    // ----------------------------------------------------------------------------------------------------- serve

    private void serve() throws IOException {
        // APP_CREATE_SCHEMA=false: start without touching the database (to test one that is down).
        if (!"false".equalsIgnoreCase(System.getenv("APP_CREATE_SCHEMA"))) {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS events(id bigserial primary key, note text)");
            } catch (SQLException e) {
                System.err.println("cannot create table: " + sqlError(e));
                System.exit(1);
            }
        }
        String portEnv = System.getenv("PORT");
        int port = portEnv == null || portEnv.isBlank() ? 0 : Integer.parseInt(portEnv.trim());
        // Loopback only: this is a test app. A large backlog so a burst of 150 connects is not refused.
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        ExecutorService executor = Executors.newFixedThreadPool(HTTP_THREADS);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            executor.shutdownNow();
        }));
        System.out.println("LISTENING " + server.getAddress().getPort());
        System.out.flush();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!"GET".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, "method not allowed");
                return;
            }
            try {
                Map<String, String> query = parseQuery(exchange.getRequestURI().getRawQuery());
                switch (path) {
                    case "/health" -> respond(exchange, 200, "ok");
                    case "/work" -> {
                        String lock = query.get("lock");
                        work(Long.parseLong(query.getOrDefault("hold_ms", "50")), lock == null ? null : Long.valueOf(lock));
                        respond(exchange, 200, "ok");
                    }
                    case "/uncommitted" -> {
                        uncommitted();
                        respond(exchange, 200, "ok");
                    }
                    case "/count" -> respond(exchange, 200, Long.toString(count()));
                    case "/prepared" -> respond(exchange, 200, prepared(Integer.parseInt(query.getOrDefault("n", "10")),
                            Long.parseLong(query.getOrDefault("hold_ms", "0"))));
                    case "/setting" -> respond(exchange, 200, String.valueOf(setting(query.get("name"))));
                    case "/pid" -> respond(exchange, 200, Integer.toString(backendPid(query.getOrDefault("via", ""))));
                    case "/stale-handle" -> respond(exchange, 200, staleHandle());
                    case "/bogus-url" -> respond(exchange, 200, bogusUrl());
                    case "/leaky" -> respond(exchange, 200, leaky());
                    case "/whoami" -> respond(exchange, 200, whoami(query.get("user"), query.get("password"),
                            query.get("db"), Long.parseLong(query.getOrDefault("hold_ms", "0"))));
                    case "/hold-then-use" -> respond(exchange, 200,
                            holdThenUse(Long.parseLong(query.getOrDefault("ms", "3000"))));
                    default -> respond(exchange, 404, "not found");
                }
            } catch (SQLException e) {
                String body = sqlError(e);
                System.err.println(body);
                respond(exchange, 500, body);
            } catch (RuntimeException e) {
                String body = "ERROR " + e;
                System.err.println(body);
                respond(exchange, 500, body);
            }
        }
    }

    /**
     * One unit of work: hold a connection for holdMs. With a lock key it first waits for that advisory lock, as a
     * request would behind a long migration or batch job holding a row everyone needs.
     */
    private void work(long holdMs, Long lockKey) throws SQLException {
        try (Connection c = connect()) {
            if (lockKey != null) {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT pg_advisory_lock_shared(?), pg_advisory_unlock_shared(?)")) {
                    ps.setLong(1, lockKey);
                    ps.setLong(2, lockKey);
                    ps.execute();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_sleep(?)")) {
                ps.setDouble(1, holdMs / 1000.0);
                ps.execute();
            }
        }
    }

    /**
     * One PreparedStatement executed n times on one connection, after holding it for holdMs (so that concurrent
     * requests hold distinct connections). pgjdbc switches to a named server-side statement at its 5th execution.
     */
    private String prepared(int n, long holdMs) throws SQLException {
        try (Connection c = connect()) {
            if (holdMs > 0) {
                try {
                    Thread.sleep(holdMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            long sum = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT ?::int + 1")) {
                for (int i = 0; i < n; i++) {
                    ps.setInt(1, i);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        sum += rs.getInt(1);
                    }
                }
            }
            return Long.toString(sum);
        }
    }

    private String setting(String name) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT current_setting(?, true)")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /**
     * Connects as another role (and optionally to another database of the same server), as apps serving several
     * tenants do, and reports who the server says we are and whether that role may read secret_notes.
     */
    private String whoami(String asUser, String asPassword, String database, long holdMs) throws SQLException {
        String url = jdbcUrl;
        if (database != null) {
            int slash = url.indexOf('/', "jdbc:postgresql://".length());
            int query = url.indexOf('?', slash);
            url = url.substring(0, slash + 1) + database + (query < 0 ? "" : url.substring(query));
        }
        try (Connection c = DriverManager.getConnection(url, asUser, asPassword);
             Statement s = c.createStatement()) {
            String who;
            String db;
            try (ResultSet rs = s.executeQuery("SELECT current_user, current_database()")) {
                rs.next();
                who = rs.getString(1);
                db = rs.getString(2);
            }
            String secret;
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM secret_notes")) {
                rs.next();
                secret = rs.getString(1);
            } catch (SQLException e) {
                secret = "denied(" + e.getSQLState() + ")";
            }
            if (holdMs > 0) {
                s.execute("SELECT pg_sleep(" + holdMs / 1000.0 + ")");
            }
            return "user=" + who + " db=" + db + " secret=" + secret;
        }
    }

    /** The server process behind a fresh connection, opened through DriverManager or straight from the driver. */
    private int backendPid(String via) throws SQLException {
        Connection c;
        if (via.equals("driver")) {
            Properties props = new Properties();
            props.setProperty("user", user);
            props.setProperty("password", password);
            c = DriverManager.getDriver(jdbcUrl).connect(jdbcUrl, props);
        } else {
            c = connect();
        }
        try (c; Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * A buggy unit of work: keeps using a connection after closing it, while a second one is open. Reports whether
     * the stale call was refused and whether it changed the second connection's session.
     */
    private String staleHandle() throws SQLException {
        Connection first = connect();
        int firstPid;
        try (Statement s = first.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            firstPid = rs.getInt(1);
        }
        first.close();
        try (Connection second = connect()) {
            String stale;
            try (Statement s = first.createStatement()) {
                s.execute("SET application_name = 'stale'");
                stale = "stale handle reached a server";
            } catch (SQLException e) {
                stale = "stale handle refused: SQLSTATE=" + e.getSQLState();
            }
            try (Statement s = second.createStatement();
                 ResultSet rs = s.executeQuery("SELECT current_setting('application_name'), pg_backend_pid()")) {
                rs.next();
                String name = "stale".equals(rs.getString(1)) ? "stale" : "unchanged";
                return stale + "; second borrower's application_name=" + name + "; same backend="
                        + (rs.getInt(2) == firstPid);
            }
        }
    }

    private final AtomicLong leakyCalls = new AtomicLong();

    /** A classic bug: one request in ten takes a connection and never closes it. */
    private String leaky() throws SQLException {
        if (leakyCalls.incrementAndGet() % 10 == 0) {
            return Long.toString(leakyLookup());
        }
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
            return Integer.toString(rs.getInt(1));
        }
    }

    /** The leaking method: its connection is never closed. */
    private long leakyLookup() throws SQLException {
        Connection c = connect();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM events")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Takes a connection, keeps it idle in the app for ms, then uses it: a stuck or forgotten holder. */
    private String holdThenUse(long ms) throws SQLException {
        try (Connection c = connect()) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                rs.next();
                return "used";
            }
        }
    }

    /** A URL no driver takes: the app reports what DriverManager says. */
    private String bogusUrl() {
        try (Connection c = DriverManager.getConnection("jdbc:nosuchdb://localhost/x", user, password)) {
            return "connected?!";
        } catch (SQLException e) {
            return "SQLSTATE=" + e.getSQLState() + " " + e.getMessage();
        }
    }

    /** A careless unit of work: leaves its transaction open and just closes the connection. */
    private void uncommitted() throws SQLException {
        Connection c = connect();
        try {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO events(note) VALUES (?)")) {
                ps.setString(1, "uncommitted");
                ps.executeUpdate();
            }
        } finally {
            c.close(); // deliberately no commit and no rollback
        }
    }

    private long count() throws SQLException {
        try (Connection c = connect();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM events")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> params = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(percentDecode(pair.substring(0, eq)), percentDecode(pair.substring(eq + 1)));
            }
        }
        return params;
    }

    /** "SQLSTATE=&lt;state&gt; &lt;first line of message&gt;": what the endpoints answer and log on failure. */
    static String sqlError(SQLException e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return "SQLSTATE=" + e.getSQLState() + " " + (newline < 0 ? message : message.substring(0, newline)).trim();
    }

    // ------------------------------------------------------------------------------------------------------ loop

    private interface ConnectionSource {
        Connection get() throws SQLException;
    }

    private void loop(Map<String, String> options) throws InterruptedException {
        int threads = Integer.parseInt(options.getOrDefault("threads", "8"));
        double seconds = Double.parseDouble(options.getOrDefault("seconds", "10"));
        double warmupSeconds = Double.parseDouble(options.getOrDefault("warmup-seconds", "2"));
        String pool = options.getOrDefault("pool", "none");

        HikariDataSource hikari = null;
        ConnectionSource source;
        switch (pool) {
            case "none" -> source = this::connect;
            case "hikari" -> {
                // The hand-wired baseline: what a developer who changed the code to use a pool would get.
                HikariConfig config = new HikariConfig();
                config.setJdbcUrl(jdbcUrl);
                config.setUsername(user);
                config.setPassword(password);
                config.setMaximumPoolSize(threads);
                hikari = new HikariDataSource(config);
                source = hikari::getConnection;
            }
            default -> {
                System.err.println("unknown --pool " + pool + " (expected none or hikari)");
                System.exit(2);
                return;
            }
        }

        // Counters run from the start; the measured window is the difference of two snapshots.
        LongAdder ops = new LongAdder();
        LongAdder errors = new LongAdder();
        AtomicLong errorsPrinted = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    try (Connection c = source.get();
                         Statement s = c.createStatement();
                         ResultSet rs = s.executeQuery("SELECT 1")) {
                        rs.next();
                        rs.getInt(1);
                        ops.increment();
                    } catch (SQLException e) {
                        errors.increment();
                        if (errorsPrinted.incrementAndGet() <= 10) {
                            System.err.println(sqlError(e));
                        }
                    }
                }
            }, "worker-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }

        sleepSeconds(warmupSeconds);
        long ops0 = ops.sum();
        long errors0 = errors.sum();
        long t0 = System.nanoTime();
        sleepSeconds(seconds);
        long ops1 = ops.sum();
        long errors1 = errors.sum();
        long t1 = System.nanoTime();
        stop.set(true);
        for (Thread t : workers) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        if (hikari != null) {
            hikari.close();
        }

        double measured = (t1 - t0) / 1e9;
        long n = ops1 - ops0;
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "RESULT ops=%d seconds=%.3f ops_per_sec=%.1f errors=%d%n",
                n, measured, n / measured, errors1 - errors0);
        out.flush();
        System.exit(0);
    }

    private static void sleepSeconds(double seconds) throws InterruptedException {
        if (seconds > 0) {
            Thread.sleep((long) (seconds * 1000));
        }
    }

    /** --name value pairs after the mode. */
    private static Map<String, String> parseOptions(String[] args, int from) {
        Map<String, String> options = new HashMap<>();
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || i + 1 >= args.length) {
                System.err.println("bad argument: " + a);
                System.exit(2);
            }
            options.put(a.substring(2), args[++i]);
        }
        return options;
    }
}
