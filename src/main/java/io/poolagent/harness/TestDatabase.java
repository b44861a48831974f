package io.poolagent.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A real PostgreSQL for one test (or test class): an ordinary role {@code app} owning a database {@code app}, plus a
 * superuser connection for inspecting the server. Use with try-with-resources; anything still open when the JVM
 * exits is closed by a shutdown hook.
 *
 * <p>Where the server comes from, in this order:
 * <ol>
 *   <li>{@code POOL_AGENT_TEST_DATABASE_URL=postgresql://SUPERUSER:PASSWORD@HOST:PORT/DB}: an existing server. A fresh
 *       role and database {@code app_<random>} are created on it and dropped on close. Its max_connections cannot be
 *       chosen, so asking for a different value fails. {@link #restart()} is unsupported.</li>
 *   <li>Local PostgreSQL server binaries ({@code POOL_AGENT_PG_BINDIR}, else {@code pg_config --bindir}, else the
 *       highest {@code /usr/lib/postgresql/*}{@code /bin}): a throwaway cluster in a temporary directory on a free
 *       127.0.0.1 port, deleted on close.</li>
 *   <li>Docker through Testcontainers ({@value ContainerCluster#IMAGE}). {@link #restart()} is unsupported.</li>
 * </ol>
 * If none is available, {@link #start()} throws {@link IllegalStateException} saying how to get one; tests never
 * skip silently.
 */
public final class TestDatabase implements AutoCloseable {
    static final String URL_ENV = "POOL_AGENT_TEST_DATABASE_URL";
    static final String BINDIR_ENV = "POOL_AGENT_PG_BINDIR";
    static final int DEFAULT_MAX_CONNECTIONS = 100;
    private static final String LOOPBACK = "127.0.0.1";
    private static final String APP = "app";
    private static final int LOGIN_TIMEOUT_SECONDS = 10;

    /** Where the server came from. */
    enum Source {
        /** An existing server named by {@code POOL_AGENT_TEST_DATABASE_URL}. */
        SERVER_URL,
        /** A throwaway cluster made with the local server binaries. */
        LOCAL_BINARIES,
        /** A Docker container through Testcontainers. */
        TESTCONTAINERS
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<TestDatabase> OPEN = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOK_REGISTERED = new AtomicBoolean();

    private final Source source;
    private final String host;
    private final int port;
    private final String database;
    private final String appUser;
    private final String appPassword;
    private final String superuser;
    private final String superuserPassword;
    private final String superuserDatabase;
    private final LocalCluster localCluster;         // LOCAL_BINARIES only
    private final Object containerCluster;           // TESTCONTAINERS only (a ContainerCluster; Object keeps the
                                                     // Testcontainers classes unloaded otherwise)
    private int maxConnections;
    private String serverVersion = "?";
    private boolean closed;

    private TestDatabase(Source source, String host, int port, String database, String appUser, String appPassword,
                         String superuser, String superuserPassword, String superuserDatabase,
                         LocalCluster localCluster, Object containerCluster) {
        this.source = source;
        this.host = host;
        this.port = port;
        this.database = database;
        this.appUser = appUser;
        this.appPassword = appPassword;
        this.superuser = superuser;
        this.superuserPassword = superuserPassword;
        this.superuserDatabase = superuserDatabase;
        this.localCluster = localCluster;
        this.containerCluster = containerCluster;
    }

    // ------------------------------------------------------------------------------------------------ starting

    /** A database on a server with max_connections = 100. */
    public static TestDatabase start() {
        return start(DEFAULT_MAX_CONNECTIONS);
    }

    /** A database on a server with the given max_connections. */
    public static TestDatabase start(int maxConnections) {
        return start(maxConnections, System.getenv());
    }

    /** {@link #start(int)} with the environment given explicitly (the tests use this to exercise each source). */
    static TestDatabase start(int maxConnections, Map<String, String> env) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive, was " + maxConnections);
        }
        long started = System.nanoTime();
        registerCleanupHook();
        TestDatabase db;
        String url = env.get(URL_ENV);
        if (url != null && !url.isBlank()) {
            db = onServer(ServerUrl.parse(url), maxConnections);
        } else {
            Path binDir = findBinDir(env);
            if (binDir != null) {
                db = localCluster(binDir, maxConnections);
            } else if (dockerAvailable()) {
                db = inContainer(maxConnections);
            } else {
                throw new IllegalStateException(noDatabaseMessage());
            }
        }
        System.err.printf("[TestDatabase] started in %d ms: %s%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), db.describe());
        return db;
    }

    /** Never throws, also not when Testcontainers is missing from the class path or Docker is absent. */
    private static boolean dockerAvailable() {
        try {
            return ContainerCluster.dockerAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    static String noDatabaseMessage() {
        return "No PostgreSQL for the tests (they need a real server and are never skipped). Get one in any of these "
                + "ways: (1) install the PostgreSQL server binaries (Debian/Ubuntu: apt-get install postgresql; "
                + "elsewhere set " + BINDIR_ENV + " to the directory holding initdb and pg_ctl); "
                + "(2) set " + URL_ENV + "=postgresql://SUPERUSER:PASSWORD@HOST:PORT/postgres to use an existing "
                + "server (percent-encode special characters; tests that need their own max_connections need (1)); "
                + "(3) start Docker so Testcontainers can run " + ContainerCluster.IMAGE + ".";
    }

    private static TestDatabase onServer(ServerUrl url, int maxConnections) {
        String where = url.host() + ":" + url.port() + "/" + url.database() + " as " + url.user();
        int serverMax;
        String name = APP + "_" + randomAlnum(10);
        try (Connection admin = connect(url.host(), url.port(), url.database(), url.user(), url.password(), "admin")) {
            if (!queryBoolean(admin, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
                throw new IllegalStateException(URL_ENV + " must name a SUPERUSER (the tests inspect the server and "
                        + "create roles), but " + url.user() + " on " + url.host() + ":" + url.port() + " is not one.");
            }
            serverMax = Integer.parseInt(queryString(admin, "SHOW max_connections"));
            if (serverMax != maxConnections) {
                throw new IllegalStateException("This test needs a PostgreSQL with max_connections = " + maxConnections
                        + ", but the server from " + URL_ENV + " (" + url.host() + ":" + url.port() + ") has "
                        + serverMax + " and a test cannot change that: it needs its own cluster. Unset " + URL_ENV
                        + " and install the PostgreSQL server binaries (Debian/Ubuntu: apt-get install postgresql; or "
                        + "set " + BINDIR_ENV + ") so each test gets a throwaway cluster with the max_connections it "
                        + "asks for.");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot use the server from " + URL_ENV + " (" + where + "): "
                    + e.getMessage() + ". Fix the URL, or unset it to use local PostgreSQL binaries or Docker.", e);
        }
        String password = newAppPassword();
        TestDatabase db = new TestDatabase(Source.SERVER_URL, url.host(), url.port(), name, name, password,
                url.user(), url.password(), url.database(), null, null);
        db.maxConnections = serverMax;
        return db.setUp();
    }

    private static TestDatabase localCluster(Path binDir, int maxConnections) {
        LocalCluster cluster = LocalCluster.start(binDir, maxConnections);
        TestDatabase db = new TestDatabase(Source.LOCAL_BINARIES, LOOPBACK, cluster.port(), APP, APP,
                newAppPassword(), LocalCluster.SUPERUSER, cluster.superuserPassword(), "postgres", cluster, null);
        db.maxConnections = maxConnections;
        return db.setUp();
    }

    private static TestDatabase inContainer(int maxConnections) {
        ContainerCluster cluster = ContainerCluster.start(maxConnections, randomAlnum(24));
        TestDatabase db = new TestDatabase(Source.TESTCONTAINERS, cluster.host(), cluster.port(), APP, APP,
                newAppPassword(), ContainerCluster.SUPERUSER, cluster.superuserPassword(), "postgres", null, cluster);
        db.maxConnections = maxConnections;
        return db.setUp();
    }

    /** Tracks the server for the shutdown hook, then creates the app role and database (closing all on failure). */
    private TestDatabase setUp() {
        track(this);
        try (Connection admin = connect(host, port, superuserDatabase, superuser, superuserPassword, "admin");
             Statement st = admin.createStatement()) {
            serverVersion = queryString(admin, "SHOW server_version");
            maxConnections = Integer.parseInt(queryString(admin, "SHOW max_connections"));
            // Store the app password as a SCRAM verifier whatever the server's default is.
            st.execute("SET password_encryption = 'scram-sha-256'");
            st.execute("CREATE ROLE " + quoteIdent(appUser) + " LOGIN PASSWORD " + quoteLiteral(appPassword));
            st.execute("CREATE DATABASE " + quoteIdent(database) + " OWNER " + quoteIdent(appUser));
        } catch (SQLException | RuntimeException e) {
            String detail = e instanceof SQLException ? e.getMessage() : e.toString();
            IllegalStateException failure = new IllegalStateException("Cannot create the app role and database on "
                    + host + ":" + port + " (" + source + "): " + detail
                    + (localCluster == null ? "" : "\n--- server log tail ---\n" + localCluster.logTail()), e);
            try {
                close();
            } catch (RuntimeException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
        return this;
    }

    // ------------------------------------------------------------------------------------------------ finding binaries

    /** The directory with initdb/pg_ctl/postgres, or null when there are no local server binaries. */
    static Path findBinDir(Map<String, String> env) {
        String configured = env.get(BINDIR_ENV);
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured.trim());
            if (!hasServerBinaries(dir)) {
                throw new IllegalStateException(BINDIR_ENV + "=" + configured + " does not hold the PostgreSQL server "
                        + "binaries (initdb, pg_ctl, postgres). Point it at the directory that does (Debian/Ubuntu: "
                        + "/usr/lib/postgresql/<version>/bin after apt-get install postgresql) or unset it.");
            }
            return dir;
        }
        Path fromPgConfig = pgConfigBinDir();
        if (fromPgConfig != null && hasServerBinaries(fromPgConfig)) {
            return fromPgConfig;
        }
        return highestDebianBinDir(Path.of("/usr/lib/postgresql"));
    }

    /** The highest-versioned VERSION/bin under root (Debian/Ubuntu layout) that holds the server binaries. */
    static Path highestDebianBinDir(Path root) {
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions
                    .filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)*"))
                    .map(v -> v.resolve("bin"))
                    .filter(TestDatabase::hasServerBinaries)
                    .max(Comparator.comparing(bin -> bin.getParent().getFileName().toString(),
                            TestDatabase::compareVersions))
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long xi = i < x.length ? Long.parseLong(x[i]) : 0;
            long yi = i < y.length ? Long.parseLong(y[i]) : 0;
            if (xi != yi) {
                return Long.compare(xi, yi);
            }
        }
        return 0;
    }

    private static boolean hasServerBinaries(Path dir) {
        return Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"))
                && Files.isExecutable(dir.resolve("postgres"));
    }

    private static Path pgConfigBinDir() {
        try {
            Process process = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            process.getInputStream().transferTo(out);
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            String dir = out.toString(StandardCharsets.UTF_8).trim();
            return process.exitValue() == 0 && !dir.isEmpty() && !dir.contains("\n") ? Path.of(dir) : null;
        } catch (IOException e) {
            return null; // no pg_config on the PATH
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    // ------------------------------------------------------------------------------------------------ the API

    /** Host of the server; "127.0.0.1" for a local cluster. */
    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** "app" (on a server from {@code POOL_AGENT_TEST_DATABASE_URL}: the generated {@code app_<random>}). */
    public String database() {
        return database;
    }

    /** "app", an ordinary LOGIN role owning {@link #database()} (from a URL: the generated {@code app_<random>}). */
    public String appUser() {
        return appUser;
    }

    /** The app user's password; it contains {@code @ : / %} and a space, so URLs must percent-encode it. */
    public String appPassword() {
        return appPassword;
    }

    /** {@code jdbc:postgresql://HOST:PORT/DATABASE}, with no credentials and no query. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + urlHost() + ":" + port + "/" + database;
    }

    /**
     * A libpq-style URL for the app user, credentials percent-encoded:
     * {@code postgresql://USER:PASSWORD@HOST:PORT/DATABASE}, plus {@code "?" + query} when query is not empty.
     */
    public String databaseUrl(String query) {
        return "postgresql://" + percentEncode(appUser) + ":" + percentEncode(appPassword) + "@" + urlHost() + ":"
                + port + "/" + percentEncode(database) + (query == null || query.isEmpty() ? "" : "?" + query);
    }

    /** A new superuser connection (plain DriverManager/pgjdbc) to {@link #database()}. */
    public Connection openAdmin() throws SQLException {
        return connect(host, port, database, superuser, superuserPassword, "admin");
    }

    /** A new connection as the app user to {@link #database()}. */
    public Connection openApp() throws SQLException {
        return connect(host, port, database, appUser, appPassword, null);
    }

    /** The server's max_connections. */
    public int maxConnections() {
        return maxConnections;
    }

    /** One line: which source, where, which version. */
    public String describe() {
        String what;
        switch (source) {
            case LOCAL_BINARIES:
                what = "throwaway local cluster (" + localCluster.binDir() + ", data " + localCluster.dataDir() + ")";
                break;
            case TESTCONTAINERS:
                what = "Testcontainers " + ContainerCluster.IMAGE + " (container "
                        + ((ContainerCluster) containerCluster).containerId() + ")";
                break;
            default:
                what = "existing server from " + URL_ENV + " (superuser " + superuser + ")";
                break;
        }
        return what + ": PostgreSQL " + serverVersion + " at " + host + ":" + port + ", database " + database
                + ", user " + appUser + ", max_connections=" + maxConnections + (closed ? " [closed]" : "");
    }

    /** Stops and starts the same cluster (same port, same data). Only for a local cluster. */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("TestDatabase is closed: " + describe());
        }
        switch (source) {
            case LOCAL_BINARIES:
                localCluster.restart();
                return;
            case TESTCONTAINERS:
                throw new UnsupportedOperationException("restart() needs a local cluster: a Testcontainers container "
                        + "gets a new host port when restarted. Install the PostgreSQL server binaries (apt-get "
                        + "install postgresql, or set " + BINDIR_ENV + ") for tests that restart the server.");
            default:
                throw new UnsupportedOperationException("restart() needs a local cluster: the server from " + URL_ENV
                        + " is not ours to restart. Unset it and install the PostgreSQL server binaries (apt-get "
                        + "install postgresql, or set " + BINDIR_ENV + ") for tests that restart the server.");
        }
    }

    /** Stops and deletes the cluster (for a server from a URL: drops the app database and role). Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            switch (source) {
                case LOCAL_BINARIES:
                    localCluster.destroy();
                    break;
                case TESTCONTAINERS:
                    ((ContainerCluster) containerCluster).destroy();
                    break;
                default:
                    dropFromServer();
                    break;
            }
        } finally {
            OPEN.remove(this);
        }
    }

    // ------------------------------------------------------------------------------------------------ package-private

    Source source() {
        return source;
    }

    /** The temporary directory holding the local cluster (data, log, socket); null for other sources. */
    Path clusterDirectory() {
        return localCluster == null ? null : localCluster.baseDir();
    }

    /** A libpq-style URL of the superuser, as {@code POOL_AGENT_TEST_DATABASE_URL} expects. */
    String superuserUrl() {
        return "postgresql://" + percentEncode(superuser) + ":" + percentEncode(superuserPassword) + "@" + urlHost()
                + ":" + port + "/" + percentEncode(superuserDatabase);
    }

    /** Percent-encodes everything except RFC 3986 unreserved characters (so a space becomes %20, never +). */
    static String percentEncode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** Decodes %XX sequences as UTF-8; unlike URLDecoder, '+' stays '+' (libpq semantics). */
    static String percentDecode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%') {
                if (i + 2 >= bytes.length) {
                    throw new IllegalArgumentException("Truncated percent-escape in '" + s + "'");
                }
                int hi = Character.digit(bytes[i + 1], 16);
                int lo = Character.digit(bytes[i + 2], 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("Bad percent-escape in '" + s + "'");
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A superuser URL from {@code POOL_AGENT_TEST_DATABASE_URL}, decoded. */
    record ServerUrl(String host, int port, String user, String password, String database) {
        static ServerUrl parse(String url) {
            String trimmed = url.trim();
            if (trimmed.startsWith("jdbc:")) {
                throw invalid("it is a JDBC URL; give a libpq-style postgresql://USER:PASSWORD@HOST:PORT/DB");
            }
            URI uri;
            try {
                uri = new URI(trimmed);
            } catch (URISyntaxException e) {
                throw invalid(e.getMessage() + " (percent-encode special characters in the user and password)");
            }
            if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
                throw invalid("the scheme must be postgresql:// or postgres://");
            }
            if (uri.getHost() == null) {
                throw invalid("no host (or a user/password with unencoded special characters)");
            }
            String rawUserInfo = uri.getRawUserInfo();
            if (rawUserInfo == null || rawUserInfo.isEmpty()) {
                throw invalid("no user; name a superuser, e.g. postgresql://postgres:PASSWORD@HOST:5432/postgres");
            }
            int colon = rawUserInfo.indexOf(':');
            String user = percentDecode(colon < 0 ? rawUserInfo : rawUserInfo.substring(0, colon));
            String password = colon < 0 ? null : percentDecode(rawUserInfo.substring(colon + 1));
            String host = uri.getHost();
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port = uri.getPort() < 0 ? 5432 : uri.getPort();
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            String database = path.startsWith("/") ? percentDecode(path.substring(1)) : percentDecode(path);
            if (database.isEmpty()) {
                database = user; // libpq's default
            }
            return new ServerUrl(host, port, user, password, database);
        }

        private static IllegalArgumentException invalid(String why) {
            return new IllegalArgumentException(URL_ENV + " is not a usable URL: " + why);
        }

        @Override
        public String toString() {
            return "ServerUrl[" + user + "@" + host + ":" + port + "/" + database + "]"; // no password in logs
        }
    }

    // ------------------------------------------------------------------------------------------------ internals

    private void dropFromServer() {
        try (Connection admin = connect(host, port, superuserDatabase, superuser, superuserPassword, "admin");
             Statement st = admin.createStatement()) {
            int versionNum = Integer.parseInt(queryString(admin, "SHOW server_version_num"));
            st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND "
                    + "(datname = " + quoteLiteral(database) + " OR usename = " + quoteLiteral(appUser) + ")");
            st.execute("DROP DATABASE IF EXISTS " + quoteIdent(database) + (versionNum >= 130000 ? " WITH (FORCE)" : ""));
            st.execute("DROP ROLE IF EXISTS " + quoteIdent(appUser));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot drop database/role " + database + " on the server from " + URL_ENV
                    + " (" + host + ":" + port + "): " + e.getMessage(), e);
        }
    }

    private static void registerCleanupHook() {
        if (HOOK_REGISTERED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::closeAllOpen, "TestDatabase-cleanup"));
        }
    }

    private static void track(TestDatabase db) {
        registerCleanupHook();
        OPEN.add(db);
    }

    /** The shutdown hook: closes every TestDatabase still open, then deletes the local initdb templates. */
    private static void closeAllOpen() {
        for (TestDatabase db : new ArrayList<>(OPEN)) {
            try {
                db.close();
                System.err.println("[TestDatabase] closed at JVM exit (close() was not called): " + db.describe());
            } catch (Throwable t) {
                System.err.println("[TestDatabase] could not clean up at JVM exit: " + db.describe() + ": " + t);
            }
        }
        try {
            LocalCluster.deleteTemplates();
        } catch (Throwable t) {
            System.err.println("[TestDatabase] could not delete the initdb templates at JVM exit: " + t);
        }
    }

    private String urlHost() {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    private static Connection connect(String host, int port, String database, String user, String password,
                                      String role) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("loginTimeout", String.valueOf(LOGIN_TIMEOUT_SECONDS));
        props.setProperty("connectTimeout", String.valueOf(LOGIN_TIMEOUT_SECONDS));
        if (role != null) {
            props.setProperty("ApplicationName", "pool-agent-harness-" + role);
        }
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return DriverManager.getConnection("jdbc:postgresql://" + h + ":" + port + "/" + database, props);
    }

    private static String queryString(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                throw new SQLException("No row from: " + sql);
            }
            return rs.getString(1);
        }
    }

    private static boolean queryBoolean(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static String quoteIdent(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String quoteLiteral(String value) {
        // standard_conforming_strings is on (the default since 9.1), so only quotes need doubling.
        return "'" + value.replace("'", "''") + "'";
    }

    /** Random, but always with '@', ':', '/', '%' and a space so that any unencoded use in a URL breaks. */
    private static String newAppPassword() {
        return "pw " + randomAlnum(6) + "@" + randomAlnum(4) + ":" + randomAlnum(4) + "/" + randomAlnum(4) + "%"
                + randomAlnum(4);
    }

    private static String randomAlnum(int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
