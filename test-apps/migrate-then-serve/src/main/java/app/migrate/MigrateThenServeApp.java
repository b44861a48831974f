package app.migrate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import liquibase.command.CommandScope;
import org.flywaydb.core.Flyway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.Executors;

/**
 * Migrates with Flyway at start-up (or with Liquibase: MIGRATE_WITH=liquibase, from the same SQL), then serves, both
 * from DATABASE_URL (converted the Heroku way; its query is ignored): the usual shape of a small service. It knows
 * nothing of the agent.
 *
 * <pre>
 * GET /origin               the session that ran the migration: "via=... client_addr=... application_name=..."
 * GET /setting?name=x       current_setting(x, true) on a fresh connection
 * GET /note                 connect, insert a note, count notes, close
 * </pre>
 * Prints "MIGRATED ..." after migrating and "LISTENING &lt;port&gt;" once serving.
 */
public final class MigrateThenServeApp {

    private final String jdbcUrl;
    private final String user;
    private final String password;

    private MigrateThenServeApp(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    public static void main(String[] args) throws Exception {
        String databaseUrl = System.getenv("DATABASE_URL");
        if (databaseUrl == null || databaseUrl.isBlank()) {
            System.err.println("DATABASE_URL is not set");
            System.exit(2);
        }
        URI uri = URI.create(databaseUrl.trim());
        String userInfo = uri.getRawUserInfo();
        int colon = userInfo == null ? -1 : userInfo.indexOf(':');
        String user = userInfo == null ? null : decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
        String password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        String jdbcUrl = "jdbc:postgresql://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort())
                + uri.getRawPath();
        MigrateThenServeApp app = new MigrateThenServeApp(jdbcUrl, user, password);
        if ("liquibase".equals(System.getenv("MIGRATE_WITH"))) {
            // As its command line and build plugins do: Liquibase opens the connection itself.
            new CommandScope("update").addArgumentValue("changelogFile", "db/changelog/changelog.sql")
                    .addArgumentValue("url", jdbcUrl).addArgumentValue("username", user)
                    .addArgumentValue("password", password).execute();
            System.out.println("MIGRATED with Liquibase");
        } else {
            int applied = Flyway.configure().dataSource(jdbcUrl, user, password).load().migrate().migrationsExecuted;
            System.out.println("MIGRATED " + applied);
        }
        app.serve();
    }

    private void serve() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                String query = exchange.getRequestURI().getRawQuery();
                try {
                    switch (path) {
                        case "/origin" -> respond(exchange, 200, origin());
                        case "/setting" -> respond(exchange, 200, String.valueOf(setting(query.substring(5))));
                        case "/note" -> respond(exchange, 200, Long.toString(note()));
                        default -> respond(exchange, 404, "not found");
                    }
                } catch (SQLException e) {
                    respond(exchange, 500, "SQLSTATE=" + e.getSQLState() + " " + e.getMessage());
                }
            }
        });
        server.start();
        System.out.println("LISTENING " + server.getAddress().getPort());
        System.out.flush();
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    private String origin() throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT via, client_addr, application_name FROM migration_origin"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return "via=" + rs.getString(1) + " client_addr=" + rs.getString(2) + " application_name=" + rs.getString(3);
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

    private long note() throws SQLException {
        try (Connection c = connect()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO notes(body) VALUES (?)")) {
                ps.setString(1, "served");
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM notes"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** RFC 3986 percent-decoding ('+' stays literal, as in user info). */
    private static String decode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                out.write(Integer.parseInt(s, i + 1, i + 3, 16));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
