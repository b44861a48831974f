package io.poolagent.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests of the test-database provider against a real PostgreSQL (whatever {@link TestDatabase#start()} finds here;
 * the checks that only make sense for one source say so and assert the documented behaviour of the others).
 */
class TestDatabaseTest {

    @Test
    void appUserLogsInWithScramAndAWrongPasswordIsRefused() throws Exception {
        try (TestDatabase db = TestDatabase.start()) {
            assertTrue(db.appPassword().contains("@") && db.appPassword().contains(":")
                    && db.appPassword().contains("/") && db.appPassword().contains("%")
                    && db.appPassword().contains(" "), "password needs percent-encoding: " + db.appPassword());

            try (Connection admin = db.openAdmin();
                 PreparedStatement ps = admin.prepareStatement("SELECT rolpassword LIKE 'SCRAM-SHA-256$%', rolsuper, "
                         + "rolcanlogin, rolcreaterole, rolcreatedb FROM pg_authid WHERE rolname = ?")) {
                assertEquals("on", single(admin, "SHOW is_superuser"));
                ps.setString(1, db.appUser());
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next(), "role " + db.appUser() + " exists");
                    assertTrue(rs.getBoolean(1), "password stored as a SCRAM-SHA-256 verifier");
                    assertFalse(rs.getBoolean(2), "app is not a superuser");
                    assertTrue(rs.getBoolean(3), "app can log in");
                    assertFalse(rs.getBoolean(4), "app is an ordinary role");
                    assertFalse(rs.getBoolean(5), "app is an ordinary role");
                }
                assertEquals(db.appUser(), single(admin, "SELECT pg_get_userbyid(datdba) FROM pg_database "
                        + "WHERE datname = current_database()"), "app owns the database");
                if (db.source() == TestDatabase.Source.LOCAL_BINARIES) {
                    // Our own cluster: every pg_hba rule is SCRAM, so the app login below can only have used SCRAM.
                    assertEquals("0", single(admin, "SELECT count(*) FROM pg_hba_file_rules "
                            + "WHERE auth_method <> 'scram-sha-256' OR error IS NOT NULL"));
                    assertNotEquals("0", single(admin, "SELECT count(*) FROM pg_hba_file_rules"));
                }
            }

            try (Connection app = db.openApp()) {
                assertEquals(db.appUser(), single(app, "SELECT current_user"));
                assertEquals(db.database(), single(app, "SELECT current_database()"));
                assertEquals("off", single(app, "SHOW is_superuser"));
                try (Statement st = app.createStatement()) {
                    st.execute("CREATE TABLE owned_by_app (id int)"); // the owner may create tables
                }
            }

            SQLException refused = assertThrows(SQLException.class,
                    () -> connect(db.jdbcUrl(), db.appUser(), db.appPassword() + "x").close());
            assertEquals("28P01", refused.getSQLState(), "invalid_password, got: " + refused);
        }
    }

    @Test
    void maxConnectionsIsWhatWasAsked() throws Exception {
        try (TestDatabase probe = TestDatabase.start()) {
            if (probe.source() == TestDatabase.Source.SERVER_URL) {
                // An existing server cannot be given our max_connections: asking must fail and say what to do.
                int other = probe.maxConnections() == 37 ? 38 : 37;
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> TestDatabase.start(other));
                assertTrue(e.getMessage().contains("own cluster"), e.getMessage());
                return;
            }
            assertEquals(100, probe.maxConnections());
            try (Connection admin = probe.openAdmin()) {
                assertEquals("100", single(admin, "SHOW max_connections"));
            }
        }
        try (TestDatabase db = TestDatabase.start(37)) {
            assertEquals(37, db.maxConnections());
            try (Connection admin = db.openAdmin()) {
                assertEquals("37", single(admin, "SHOW max_connections"));
            }
            try (Connection app = db.openApp()) {
                assertEquals("37", single(app, "SHOW max_connections"));
            }
        }
    }

    @Test
    void urlsCarryTheCredentialsAndDatabaseUrlRoundTripsThePassword() throws Exception {
        try (TestDatabase db = TestDatabase.start()) {
            String expectedJdbc = "jdbc:postgresql://" + db.host() + ":" + db.port() + "/" + db.database();
            assertEquals(expectedJdbc, db.jdbcUrl());
            if (db.source() != TestDatabase.Source.SERVER_URL) {
                assertEquals("app", db.appUser());
                assertEquals("app", db.database());
            }
            if (db.source() == TestDatabase.Source.LOCAL_BINARIES) {
                assertEquals("127.0.0.1", db.host());
            }

            String url = db.databaseUrl("");
            assertEquals(url, db.databaseUrl(null));
            URI uri = new URI(url); // would throw on an unencoded space
            assertEquals("postgresql", uri.getScheme());
            assertEquals(db.host(), uri.getHost(), "an unencoded @ or / would move the host");
            assertEquals(db.port(), uri.getPort());
            assertEquals("/" + db.database(), uri.getPath());
            assertNull(uri.getRawQuery());
            String rawUserInfo = uri.getRawUserInfo();
            assertEquals(1, rawUserInfo.chars().filter(c -> c == ':').count(), "only the separator is a raw ':'");
            int colon = rawUserInfo.indexOf(':');
            String user = URLDecoder.decode(rawUserInfo.substring(0, colon), StandardCharsets.UTF_8);
            String password = URLDecoder.decode(rawUserInfo.substring(colon + 1), StandardCharsets.UTF_8);
            assertEquals(db.appUser(), user);
            assertEquals(db.appPassword(), password);
            assertEquals(db.appPassword(), TestDatabase.percentDecode(rawUserInfo.substring(colon + 1)));

            // The decoded credentials and address really log in.
            String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath();
            try (Connection c = connect(jdbc, user, password)) {
                assertEquals(db.appUser(), single(c, "SELECT current_user"));
            }

            String withQuery = db.databaseUrl("sslmode=disable&application_name=x");
            assertEquals(url + "?sslmode=disable&application_name=x", withQuery);
            assertEquals("sslmode=disable&application_name=x", new URI(withQuery).getQuery());
        }
    }

    @Test
    void restartKeepsCommittedData() throws Exception {
        try (TestDatabase db = TestDatabase.start()) {
            if (db.source() != TestDatabase.Source.LOCAL_BINARIES) {
                UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, db::restart);
                assertTrue(e.getMessage().contains("local cluster"), e.getMessage());
                return;
            }
            String startedBefore;
            try (Connection app = db.openApp(); Statement st = app.createStatement()) {
                st.execute("CREATE TABLE kept (id int PRIMARY KEY, note text)");
                st.execute("INSERT INTO kept VALUES (1, 'committed before restart')");
                startedBefore = single(app, "SELECT pg_postmaster_start_time()::text");
            }
            int port = db.port();

            db.restart();

            assertEquals(port, db.port());
            try (Connection app = db.openApp()) {
                assertNotEquals(startedBefore, single(app, "SELECT pg_postmaster_start_time()::text"),
                        "the server really restarted");
                assertEquals("committed before restart", single(app, "SELECT note FROM kept WHERE id = 1"));
            }
            db.restart(); // twice in a row works too
            try (Connection admin = db.openAdmin()) {
                assertEquals("1", single(admin, "SELECT count(*) FROM kept"));
            }
        }
    }

    @Test
    void closeRemovesTheClusterAndThePortStopsAcceptingConnections() throws Exception {
        TestDatabase db = TestDatabase.start();
        Path dir = db.clusterDirectory();
        try (Connection app = db.openApp()) {
            assertEquals("1", single(app, "SELECT 1"));
        }
        if (db.source() == TestDatabase.Source.LOCAL_BINARIES) {
            assertNotNull(dir);
            assertTrue(Files.isDirectory(dir.resolve("data")), "data directory exists while open: " + dir);
        }
        assertTrue(accepts(db.host(), db.port()), "port accepts connections while open");

        db.close();
        db.close(); // idempotent

        SQLException e = assertThrows(SQLException.class, () -> db.openApp().close());
        assertNotNull(e.getSQLState());
        if (db.source() == TestDatabase.Source.LOCAL_BINARIES) {
            assertFalse(Files.exists(dir), "cluster directory deleted: " + dir);
            assertFalse(accepts(db.host(), db.port()), "nothing listens on " + db.port() + " any more");
        }
        if (db.source() == TestDatabase.Source.SERVER_URL) {
            try (Connection su = connectSuperuser(db.superuserUrl())) {
                assertEquals("0", single(su, "SELECT count(*) FROM pg_roles WHERE rolname = '" + db.appUser() + "'"));
                assertEquals("0", single(su, "SELECT count(*) FROM pg_database WHERE datname = '" + db.database() + "'"));
            }
        }
    }

    /** The POOL_AGENT_TEST_DATABASE_URL source, pointed at the superuser of a server we just started. */
    @Test
    void serverUrlSourceCreatesAndDropsItsOwnRoleAndDatabase() throws Exception {
        try (TestDatabase host = TestDatabase.start()) {
            Map<String, String> env = Map.of(TestDatabase.URL_ENV, host.superuserUrl(),
                    TestDatabase.BINDIR_ENV, "/must/not/be/looked/at");

            String user;
            String database;
            try (TestDatabase db = TestDatabase.start(host.maxConnections(), env)) {
                assertEquals(TestDatabase.Source.SERVER_URL, db.source());
                user = db.appUser();
                database = db.database();
                assertTrue(user.matches("app_[a-z0-9]{10}"), user);
                assertEquals(host.host(), db.host());
                assertEquals(host.port(), db.port());
                assertEquals(host.maxConnections(), db.maxConnections());
                try (Connection app = db.openApp()) {
                    assertEquals(user, single(app, "SELECT current_user"));
                    assertEquals(database, single(app, "SELECT current_database()"));
                }
                try (Connection app = DriverManager.getConnection(db.jdbcUrl(), db.appUser(), db.appPassword())) {
                    assertEquals("off", single(app, "SHOW is_superuser"));
                }
                try (Connection admin = host.openAdmin()) {
                    assertEquals("t", single(admin, "SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid "
                            + "WHERE rolname = '" + user + "'"));
                }
                SQLException refused = assertThrows(SQLException.class,
                        () -> connect(db.jdbcUrl(), db.appUser(), "wrong").close());
                assertEquals("28P01", refused.getSQLState());
                UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, db::restart);
                assertTrue(e.getMessage().contains(TestDatabase.URL_ENV), e.getMessage());
                // An app session left open must not stop close() from dropping the database.
                Connection leftOpen = db.openApp();
                assertFalse(leftOpen.isClosed());
            }
            try (Connection admin = host.openAdmin()) {
                assertEquals("0", single(admin, "SELECT count(*) FROM pg_roles WHERE rolname = '" + user + "'"));
                assertEquals("0", single(admin, "SELECT count(*) FROM pg_database WHERE datname = '" + database + "'"));
            }

            String appRoles = "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'app\\_%'";
            String appRolesBefore;
            try (Connection admin = host.openAdmin()) {
                appRolesBefore = single(admin, appRoles);
            }
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> TestDatabase.start(host.maxConnections() + 1, env));
            assertTrue(e.getMessage().contains("max_connections = " + (host.maxConnections() + 1)), e.getMessage());
            assertTrue(e.getMessage().contains("own cluster"), e.getMessage());
            assertTrue(e.getMessage().contains("Unset " + TestDatabase.URL_ENV), e.getMessage());
            assertTrue(e.getMessage().contains("apt-get install postgresql"), e.getMessage());
            try (Connection admin = host.openAdmin()) {
                assertEquals(appRolesBefore, single(admin, appRoles), "a refused start leaves nothing behind");
            }

            // A wrong password in the URL is reported as such, without leaking the password.
            String badUrl = host.superuserUrl().replaceFirst(":[^:@/]+@", ":not-the-password@");
            IllegalStateException bad = assertThrows(IllegalStateException.class,
                    () -> TestDatabase.start(host.maxConnections(), Map.of(TestDatabase.URL_ENV, badUrl)));
            assertTrue(bad.getMessage().contains(TestDatabase.URL_ENV), bad.getMessage());
            assertFalse(bad.getMessage().contains("not-the-password"), bad.getMessage());
        }
    }

    @Test
    void serverUrlIsParsedLikeLibpq() {
        TestDatabase.ServerUrl u = TestDatabase.ServerUrl.parse(
                "postgresql://su%40corp:p%40ss%3Aw%2Frd%25%20x+y@db.example.org:6543/my%20db");
        assertEquals("su@corp", u.user());
        assertEquals("p@ss:w/rd% x+y", u.password(), "percent-decoded; '+' is not a space");
        assertEquals("db.example.org", u.host());
        assertEquals(6543, u.port());
        assertEquals("my db", u.database());

        TestDatabase.ServerUrl defaults = TestDatabase.ServerUrl.parse("postgres://postgres@[::1]");
        assertEquals("::1", defaults.host());
        assertEquals(5432, defaults.port());
        assertNull(defaults.password());
        assertEquals("postgres", defaults.database(), "libpq: the database defaults to the user name");

        assertThrows(IllegalArgumentException.class,
                () -> TestDatabase.ServerUrl.parse("jdbc:postgresql://localhost/postgres"));
        assertThrows(IllegalArgumentException.class, () -> TestDatabase.ServerUrl.parse("mysql://u:p@h/d"));
        assertThrows(IllegalArgumentException.class, () -> TestDatabase.ServerUrl.parse("postgresql://localhost/x"));
        assertFalse(u.toString().contains("p@ss"), "toString hides the password");

        String odd = "p@ss:w/rd% x+y\u00e9";
        assertEquals(odd, TestDatabase.percentDecode(TestDatabase.percentEncode(odd)));
        assertEquals("a%20b%40c%3Ad%2Fe%25f%2Bg", TestDatabase.percentEncode("a b@c:d/e%f+g"));
    }

    @Test
    void aConfiguredBinDirWithoutServerBinariesFailsLoudly() {
        Map<String, String> env = new HashMap<>();
        env.put(TestDatabase.BINDIR_ENV, "/nonexistent/postgresql/bin");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TestDatabase.start(10, env));
        assertTrue(e.getMessage().contains(TestDatabase.BINDIR_ENV + "=/nonexistent/postgresql/bin"), e.getMessage());
    }

    @Test
    void theHighestDebianVersionIsChosen(@TempDir Path root) throws IOException {
        for (String version : new String[] {"9.6", "15", "13", "10"}) {
            Path bin = Files.createDirectories(root.resolve(version).resolve("bin"));
            for (String tool : new String[] {"initdb", "pg_ctl", "postgres"}) {
                Path f = Files.writeString(bin.resolve(tool), "#!/bin/sh\n");
                assertTrue(f.toFile().setExecutable(true));
            }
        }
        Files.createDirectories(root.resolve("16").resolve("bin")); // client-only install: no server binaries
        Files.createDirectories(root.resolve("notes"));
        assertEquals(root.resolve("15").resolve("bin"), TestDatabase.highestDebianBinDir(root));
        assertNull(TestDatabase.highestDebianBinDir(root.resolve("missing")));
    }

    @Test
    void withoutAnyDatabaseTheMessageSaysAllThreeWaysToGetOne() {
        String message = TestDatabase.noDatabaseMessage();
        assertTrue(message.contains("POOL_AGENT_TEST_DATABASE_URL=postgresql://"), message);
        assertTrue(message.contains("apt-get install postgresql"), message);
        assertTrue(message.contains("POOL_AGENT_PG_BINDIR"), message);
        assertTrue(message.contains("Docker"), message);
    }

    @Test
    void describeSaysWhereAndWhichVersion() {
        try (TestDatabase db = TestDatabase.start()) {
            String d = db.describe();
            assertFalse(d.contains("\n"), d);
            assertTrue(d.contains(db.host() + ":" + db.port()), d);
            assertTrue(d.matches(".*PostgreSQL \\d+.*"), d);
            assertFalse(d.contains(db.appPassword()), d);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static Connection connect(String jdbcUrl, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        return DriverManager.getConnection(jdbcUrl, props);
    }

    private static Connection connectSuperuser(String libpqUrl) throws SQLException {
        TestDatabase.ServerUrl u = TestDatabase.ServerUrl.parse(libpqUrl);
        return connect("jdbc:postgresql://" + u.host() + ":" + u.port() + "/" + u.database(), u.user(), u.password());
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), "a row from " + sql);
            String value = rs.getString(1);
            assertFalse(rs.next(), "only one row from " + sql);
            return value;
        }
    }

    private static boolean accepts(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
