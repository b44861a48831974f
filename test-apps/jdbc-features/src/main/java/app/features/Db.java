package app.features;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Where the database is, as the app reads it from DATABASE_URL, and the few queries every check uses. */
final class Db {

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final boolean expectPooled;

    private Db(String jdbcUrl, String user, String password, boolean expectPooled) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.expectPooled = expectPooled;
    }

    /** postgresql://user:pass@host:port/db?params → jdbc:postgresql://host:port/db plus user and password. */
    static Db fromDatabaseUrl(String databaseUrl, boolean expectPooled) {
        if (databaseUrl == null || databaseUrl.isBlank()) {
            throw new IllegalArgumentException("DATABASE_URL is not set");
        }
        URI uri = URI.create(databaseUrl.trim());
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw new IllegalArgumentException("expected postgresql://..., got scheme " + uri.getScheme());
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("no host in DATABASE_URL");
        }
        String user = null;
        String password = null;
        // Split the raw form: an encoded ':' or '@' belongs to the password.
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = percentDecode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : percentDecode(userInfo.substring(colon + 1));
        }
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = percentDecode(path.startsWith("/") ? path.substring(1) : path);
        return new Db("jdbc:postgresql://" + uri.getHost() + ":" + port + "/" + database, user, password,
                expectPooled);
    }

    /** RFC 3986 decoding; unlike URLDecoder it keeps '+', which is literal in user info. */
    static String percentDecode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%') {
                if (i + 2 >= bytes.length) {
                    throw new IllegalArgumentException("truncated %-escape in DATABASE_URL");
                }
                out.write(Integer.parseInt(new String(bytes, i + 1, 2, StandardCharsets.US_ASCII), 16));
                i += 2;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** One unit of work's connection, the way such apps get it. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    String jdbcUrl() {
        return jdbcUrl;
    }

    /** EXPECT_POOLED=true: the test runs us under a pool, so a borrow may reuse the previous borrower's backend. */
    boolean expectPooled() {
        return expectPooled;
    }

    static int pid(Connection c) throws SQLException {
        return Integer.parseInt(query(c, "SELECT pg_backend_pid()"));
    }

    /** The first column of the first row, as text. */
    static String query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next()) {
                throw new SQLException("no row from: " + sql);
            }
            return rs.getString(1);
        }
    }

    static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
