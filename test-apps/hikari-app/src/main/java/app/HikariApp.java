package app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.mchange.v2.c3p0.ComboPooledDataSource;
import org.apache.commons.dbcp2.BasicDataSource;
import org.postgresql.PGConnection;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import javax.sql.DataSource;

/**
 * An app that pools already, with HikariCP ($APP_POOL=hikari, the default), DBCP2 ($APP_POOL=dbcp2) or c3p0
 * ($APP_POOL=c3p0). It knows nothing of pool-agent.
 *
 * <pre>
 * serve   HTTP server on $PORT (0 = ephemeral); prints "LISTENING &lt;port&gt;" when ready
 *   GET /work?hold_ms=0    one connection from the shared pool (made on first use; at most $HIKARI_MAX_POOL_SIZE
 *                          connections, default 30; $HIKARI_VIA=datasource gives Hikari a PGSimpleDataSource
 *                          instead of a JDBC URL), held hold_ms; answers pg_backend_pid()
 *   GET /class             the class of the connection behind the pool's proxy: unwrap(PGConnection.class)
 *   GET /fresh?hold_ms=0   the bug: a new HikariDataSource (maximumPoolSize 2) for this request, closed after it
 *   GET /direct?hold_ms=0  a plain DriverManager connection, no Hikari
 * </pre>
 */
public final class HikariApp {

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final URI uri;
    private volatile DataSource shared;

    private HikariApp(String databaseUrl) {
        uri = URI.create(databaseUrl.trim());
        String userInfo = uri.getUserInfo();
        int colon = userInfo.indexOf(':');
        user = userInfo.substring(0, colon);
        password = userInfo.substring(colon + 1);
        jdbcUrl = "jdbc:postgresql://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort()) + uri.getPath();
    }

    public static void main(String[] args) throws Exception {
        String databaseUrl = System.getenv("DATABASE_URL");
        if (databaseUrl == null || databaseUrl.isBlank()) {
            System.err.println("DATABASE_URL is not set");
            System.exit(2);
        }
        new HikariApp(databaseUrl).serve();
    }

    private DataSource shared() {
        DataSource ds = shared;
        if (ds == null) {
            synchronized (this) {
                ds = shared;
                if (ds == null) {
                    String size = System.getenv("HIKARI_MAX_POOL_SIZE");
                    shared = ds = newPool(size == null ? 30 : Integer.parseInt(size));
                }
            }
        }
        return ds;
    }

    private DataSource newPool(int max) {
        switch (System.getenv().getOrDefault("APP_POOL", "hikari")) {
            case "dbcp2" -> {
                BasicDataSource dbcp = new BasicDataSource();
                dbcp.setUrl(jdbcUrl);
                dbcp.setUsername(user);
                dbcp.setPassword(password);
                dbcp.setMaxTotal(max);
                dbcp.setMaxIdle(max);
                return dbcp;
            }
            case "c3p0" -> {
                ComboPooledDataSource c3p0 = new ComboPooledDataSource();
                c3p0.setJdbcUrl(jdbcUrl);
                c3p0.setUser(user);
                c3p0.setPassword(password);
                c3p0.setMaxPoolSize(max);
                return c3p0;
            }
            default -> {
                HikariConfig config = new HikariConfig();
                config.setMaximumPoolSize(max);
                config.setPoolName("shared");
                if ("datasource".equals(System.getenv("HIKARI_VIA"))) {
                    PGSimpleDataSource pg = new PGSimpleDataSource();
                    pg.setURL(jdbcUrl);
                    pg.setUser(user);
                    pg.setPassword(password);
                    config.setDataSource(pg);
                } else {
                    config.setJdbcUrl(jdbcUrl);
                    config.setUsername(user);
                    config.setPassword(password);
                }
                return new HikariDataSource(config);
            }
        }
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
            long holdMs = Long.parseLong(q.getOrDefault("hold_ms", "0"));
            try {
                String body = switch (exchange.getRequestURI().getPath()) {
                    case "/work" -> {
                        try (Connection c = shared().getConnection()) {
                            yield Integer.toString(work(c, holdMs));
                        }
                    }
                    case "/class" -> {
                        try (Connection c = shared().getConnection()) {
                            yield c.unwrap(PGConnection.class).getClass().getName();
                        }
                    }
                    case "/fresh" -> fresh(holdMs);
                    case "/direct" -> {
                        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
                            yield Integer.toString(work(c, holdMs));
                        }
                    }
                    default -> null;
                };
                respond(exchange, body == null ? 404 : 200, body == null ? "not found" : body);
            } catch (SQLException e) {
                String body = "ERROR " + e.getSQLState() + " " + e.getMessage();
                System.err.println(body);
                respond(exchange, 500, body);
            } catch (RuntimeException e) {
                String body = "ERROR " + e;
                System.err.println(body);
                respond(exchange, 500, body);
            }
        }
    }

    /** The bug this app reproduces: a whole pool per request. */
    private String fresh(long holdMs) throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(2);
        try (HikariDataSource ds = new HikariDataSource(config); Connection c = ds.getConnection()) {
            return Integer.toString(work(c, holdMs));
        }
    }

    private static int work(Connection c, long holdMs) throws SQLException {
        try (Statement s = c.createStatement()) {
            if (holdMs > 0) {
                s.execute("SELECT pg_sleep(" + holdMs / 1000.0 + ")");
            }
            try (ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                return rs.getInt(1);
            }
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
