package app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens a new connection per request through DataSources that do not pool, as many small apps do. It knows
 * nothing of pool-agent.
 *
 * <pre>
 * serve   HTTP server on $PORT (0 = ephemeral); prints "LISTENING &lt;port&gt;" when ready
 *   GET /pg?creds=false&amp;hold_ms=0   PGSimpleDataSource from DATABASE_URL: getConnection() (creds=false, user and
 *                                     password set on the DataSource) or getConnection(user, password) (creds=true,
 *                                     a DataSource without them); holds the connection hold_ms in pg_sleep and
 *                                     answers the server process id, pg_backend_pid()
 *   GET /pg-prepared?n=10&amp;hold_ms=0&amp;direct=false
 *                                     getConnection() of the configured PGSimpleDataSource (direct=true: of
 *                                     DirectPgDataSource, the app's own, which builds pgjdbc connections itself), holds
 *                                     it hold_ms, then runs one PreparedStatement n times; answers the sum of 1..n.
 *                                     $APP_PREPARE_THRESHOLD, if set, goes into both DataSources' prepareThreshold
 *   GET /h2?creds=false&amp;hold_ms=0&amp;fresh=false
 *                                     the same through H2's JdbcDataSource on an in-memory database (fresh=true: a
 *                                     new JdbcDataSource for this request); answers "&lt;SESSION_ID()&gt; &lt;sessions&gt;",
 *                                     the sessions open in H2 counted halfway through the hold
 *   GET /h2-peak                      the most H2 sessions any request saw
 *   GET /direct-h2                    getConnection() of DirectH2DataSource, the app's own DataSource that builds H2
 *                                     connections itself; answers SESSION_ID()
 *   GET /class?db=pg|h2               the class of the connection getConnection() returns
 * </pre>
 */
public final class DataSourceApp {

    private static final String H2_URL = "jdbc:h2:mem:dsapp;DB_CLOSE_DELAY=-1";
    private static final String H2_USER = "sa";
    private static final String H2_PASSWORD = "h2-secret";

    private final PGSimpleDataSource pgConfigured = new PGSimpleDataSource();
    private final PGSimpleDataSource pgBare = new PGSimpleDataSource();
    private final JdbcDataSource h2Configured = h2(true);
    private final JdbcDataSource h2Bare = h2(false);
    private final String user;
    private final String password;
    private final AtomicInteger h2Peak = new AtomicInteger();
    private final DirectH2DataSource direct = new DirectH2DataSource();
    private final DirectPgDataSource directPg = new DirectPgDataSource();

    private DataSourceApp(String databaseUrl) {
        URI uri = URI.create(databaseUrl.trim());
        String userInfo = uri.getUserInfo();
        int colon = userInfo.indexOf(':');
        user = userInfo.substring(0, colon);
        password = userInfo.substring(colon + 1);
        String database = uri.getPath().substring(1);
        for (PGSimpleDataSource ds : new PGSimpleDataSource[] {pgConfigured, pgBare}) {
            ds.setServerNames(new String[] {uri.getHost()});
            ds.setPortNumbers(new int[] {uri.getPort() < 0 ? 5432 : uri.getPort()});
            ds.setDatabaseName(database);
        }
        direct.setURL("jdbc:h2:mem:direct;DB_CLOSE_DELAY=-1");
        direct.setUser(H2_USER);
        direct.setPassword(H2_PASSWORD);
        pgConfigured.setUser(user);
        pgConfigured.setPassword(password);
        String threshold = System.getenv("APP_PREPARE_THRESHOLD");
        if (threshold != null && !threshold.isBlank()) {
            pgConfigured.setPrepareThreshold(Integer.parseInt(threshold.trim()));
        }
        directPg.setURL("jdbc:postgresql://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort()) + "/"
                + database + (threshold == null || threshold.isBlank() ? "" : "?prepareThreshold=" + threshold.trim()));
        directPg.setUser(user);
        directPg.setPassword(password);
    }

    private static JdbcDataSource h2(boolean withCredentials) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(H2_URL);
        if (withCredentials) {
            ds.setUser(H2_USER);
            ds.setPassword(H2_PASSWORD);
        }
        return ds;
    }

    public static void main(String[] args) throws Exception {
        String databaseUrl = System.getenv("DATABASE_URL");
        if (databaseUrl == null || databaseUrl.isBlank()) {
            System.err.println("DATABASE_URL is not set");
            System.exit(2);
        }
        new DataSourceApp(databaseUrl).serve();
    }

    private void serve() throws IOException {
        String portEnv = System.getenv("PORT");
        int port = portEnv == null || portEnv.isBlank() ? 0 : Integer.parseInt(portEnv.trim());
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        server.setExecutor(Executors.newFixedThreadPool(100));
        server.createContext("/", this::handle);
        server.start();
        System.out.println("LISTENING " + server.getAddress().getPort());
        System.out.flush();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> q = query(exchange.getRequestURI().getRawQuery());
            boolean creds = Boolean.parseBoolean(q.getOrDefault("creds", "false"));
            long holdMs = Long.parseLong(q.getOrDefault("hold_ms", "0"));
            try {
                String body = switch (exchange.getRequestURI().getPath()) {
                    case "/pg" -> Integer.toString(pg(creds, holdMs));
                    case "/pg-prepared" -> pgPrepared(Boolean.parseBoolean(q.getOrDefault("direct", "false"))
                            ? directPg : pgConfigured, Integer.parseInt(q.getOrDefault("n", "10")), holdMs);
                    case "/h2" -> h2(creds, holdMs, Boolean.parseBoolean(q.getOrDefault("fresh", "false")));
                    case "/h2-peak" -> Integer.toString(h2Peak.get());
                    case "/direct-h2" -> sessionId(direct);
                    case "/class" -> connectionClass(q.getOrDefault("db", "pg"));
                    default -> null;
                };
                respond(exchange, body == null ? 404 : 200, body == null ? "not found" : body);
            } catch (SQLException e) {
                String body = "ERROR " + e.getSQLState() + " " + e.getMessage();
                System.err.println(body);
                respond(exchange, 500, body);
            } catch (RuntimeException | InterruptedException e) {
                respond(exchange, 500, "ERROR " + e);
            }
        }
    }

    private Connection pgConnection(boolean creds) throws SQLException {
        return creds ? pgBare.getConnection(user, password) : pgConfigured.getConnection();
    }

    private int pg(boolean creds, long holdMs) throws SQLException {
        try (Connection c = pgConnection(creds); Statement s = c.createStatement()) {
            if (holdMs > 0) {
                s.execute("SELECT pg_sleep(" + holdMs / 1000.0 + ")");
            }
            try (ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static String pgPrepared(javax.sql.DataSource ds, int n, long holdMs)
            throws SQLException, InterruptedException {
        try (Connection c = ds.getConnection()) {
            Thread.sleep(holdMs);
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

    private String h2(boolean creds, long holdMs, boolean fresh) throws SQLException, InterruptedException {
        JdbcDataSource ds = fresh ? h2(!creds) : creds ? h2Bare : h2Configured;
        try (Connection c = creds ? ds.getConnection(H2_USER, H2_PASSWORD) : ds.getConnection();
             Statement s = c.createStatement()) {
            Thread.sleep(holdMs / 2);
            int sessions;
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS")) {
                rs.next();
                sessions = rs.getInt(1);
            }
            h2Peak.accumulateAndGet(sessions, Math::max);
            Thread.sleep(holdMs - holdMs / 2);
            try (ResultSet rs = s.executeQuery("SELECT SESSION_ID()")) {
                rs.next();
                return rs.getInt(1) + " " + sessions;
            }
        }
    }

    private static String sessionId(javax.sql.DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT SESSION_ID()")) {
            rs.next();
            return Integer.toString(rs.getInt(1));
        }
    }

    private String connectionClass(String db) throws SQLException {
        try (Connection c = db.equals("h2") ? h2Configured.getConnection() : pgConfigured.getConnection()) {
            return c.getClass().getName();
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
