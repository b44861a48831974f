package io.poolagent.harness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PgBouncer in front of a {@link TestDatabase}: Debian's {@code pgbouncer} binary run as a child process with
 * a generated ini in a temporary directory, on a free 127.0.0.1 port, in transaction mode by default, authenticating
 * the database's app user with SCRAM. As root it runs as the OS user postgres (PgBouncer refuses root). Use with
 * try-with-resources; close stops it and deletes the directory.
 *
 * <p>Every server connection PgBouncer opens runs {@value #VIA_QUERY} first, so a session that went through
 * PgBouncer can tell: {@code current_setting('test.via', true)} is {@code pgbouncer} there, and null on a direct
 * connection.
 */
public final class PgBouncer implements AutoCloseable {

    /** PgBouncer's connect_query: marks each of its server connections (dollar quotes: no ' to escape in the ini). */
    public static final String VIA_QUERY = "SELECT set_config($$test.via$$, $$pgbouncer$$, false)";

    private static final String OS_USER = "postgres";
    private static final int READY_SECONDS = 15;

    private final TestDatabase db;
    private final Path dir;
    private final Process process;
    private final int port;
    /** Stops PgBouncer should the test JVM exit without close (a crash, an interrupted run). */
    private final Thread exitHook;

    private PgBouncer(TestDatabase db, Path dir, Process process, int port) {
        this.db = db;
        this.dir = dir;
        this.process = process;
        this.port = port;
        this.exitHook = new Thread(this::stopProcess, "pgbouncer-stop");
        Runtime.getRuntime().addShutdownHook(exitHook);
    }

    /** Transaction mode, at most poolSize server connections to the database. */
    public static PgBouncer start(TestDatabase db, int poolSize) {
        return start(db, "transaction", poolSize);
    }

    public static PgBouncer start(TestDatabase db, String poolMode, int poolSize) {
        Path binary = findBinary();
        boolean asRoot = LocalCluster.isRoot();
        Path dir;
        try {
            dir = Files.createTempDirectory("pool-agent-pgbouncer-");
            if (asRoot) {
                Files.setOwner(dir, postgresUser());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a directory for PgBouncer: " + e, e);
        }
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = LocalCluster.freePort();
            try {
                writeConfig(db, dir, port, poolMode, poolSize, asRoot);
                List<String> command = new ArrayList<>();
                if (asRoot) {
                    command.addAll(List.of(LocalCluster.runuser(), "-u", OS_USER, "--"));
                }
                command.add(binary.toString());
                command.add(dir.resolve("pgbouncer.ini").toString());
                Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("stdout.log").toFile()).start();
                PgBouncer bouncer = new PgBouncer(db, dir, p, port);
                if (bouncer.awaitReady()) {
                    System.err.printf("[PgBouncer] %s mode, pool size %d, on 127.0.0.1:%d in front of %s:%d%n",
                            poolMode, poolSize, port, db.host(), db.port());
                    return bouncer;
                }
                String log = bouncer.log();
                bouncer.stop();
                last = new IllegalStateException("PgBouncer did not start on port " + port + ":\n" + log);
            } catch (IOException e) {
                last = new IllegalStateException("cannot start " + binary + ": " + e, e);
            }
        }
        deleteQuietly(dir);
        throw last;
    }

    private static Path findBinary() {
        for (String candidate : List.of("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer", "/usr/local/bin/pgbouncer")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(":")) {
                Path p = Path.of(d, "pgbouncer");
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        throw new IllegalStateException("PgBouncer is not installed, and the PgBouncer tests need a real one (they are"
                + " never skipped): apt-get install pgbouncer (Debian/Ubuntu; .ci/run installs it)");
    }

    private static void writeConfig(TestDatabase db, Path dir, int port, String poolMode, int poolSize, boolean asRoot)
            throws IOException {
        String users = quote(db.appUser()) + " " + quote(db.appPassword()) + "\n";
        Path userFile = dir.resolve("users.txt");
        Files.writeString(userFile, users, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(userFile, PosixFilePermissions.fromString("rw-------"));
        String ini = "[databases]\n"
                + db.database() + " = host=" + db.host() + " port=" + db.port() + " dbname=" + db.database()
                + " connect_query='" + VIA_QUERY + "'\n"
                + "[pgbouncer]\n"
                + "listen_addr = 127.0.0.1\n"
                + "listen_port = " + port + "\n"
                + "unix_socket_dir =\n"
                + "auth_type = scram-sha-256\n"
                + "auth_file = " + userFile + "\n"
                + "admin_users = " + db.appUser() + "\n"
                + "pool_mode = " + poolMode + "\n"
                + "default_pool_size = " + poolSize + "\n"
                + "max_client_conn = 500\n"
                + "server_tls_sslmode = disable\n"
                + "logfile = " + dir.resolve("pgbouncer.log") + "\n"
                + "pidfile = " + dir.resolve("pgbouncer.pid") + "\n";
        Path iniFile = dir.resolve("pgbouncer.ini");
        Files.writeString(iniFile, ini, StandardCharsets.UTF_8);
        if (asRoot) {
            UserPrincipal postgres = postgresUser();
            Files.setOwner(userFile, postgres);
            Files.setOwner(iniFile, postgres);
        }
    }

    /** auth_file syntax: "name" "password", a double quote doubled. */
    private static String quote(String s) {
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private boolean awaitReady() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return true;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        return false;
    }

    public int port() {
        return port;
    }

    /** postgresql://APP_USER:PASSWORD@127.0.0.1:PORT/DATABASE[?query]: the app user's URL through PgBouncer. */
    public String databaseUrl(String query) {
        String direct = db.databaseUrl(query);
        String hostPort = "@" + (db.host().indexOf(':') >= 0 ? "[" + db.host() + "]" : db.host()) + ":" + db.port() + "/";
        int at = direct.indexOf(hostPort);
        if (at < 0) {
            throw new IllegalStateException("unexpected database URL shape");
        }
        return direct.substring(0, at) + "@127.0.0.1:" + port + "/" + direct.substring(at + hostPort.length());
    }

    /**
     * The application_name of each client connected to PgBouncer (SHOW CLIENTS on the admin console, through psql:
     * the console speaks only the simple query protocol and refuses the SET that pgjdbc sends to so old a "server").
     */
    public List<String> clientApplicationNames() throws IOException, InterruptedException {
        Path psql = findPsql();
        ProcessBuilder pb = new ProcessBuilder(psql.toString(), "-X", "-A", "-F", "\t", "-h", "127.0.0.1",
                "-p", Integer.toString(port), "-U", db.appUser(), "-d", "pgbouncer", "-c", "SHOW CLIENTS")
                .redirectErrorStream(true);
        pb.environment().keySet().removeIf(name -> name.startsWith("PG"));
        pb.environment().put("PGPASSWORD", db.appPassword());
        pb.environment().put("PGAPPNAME", "pool-agent-harness-console");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("psql SHOW CLIENTS failed: " + out);
        }
        String[] lines = out.split("\n");
        List<String> header = List.of(lines[0].split("\t", -1));
        int database = header.indexOf("database");
        int name = header.indexOf("application_name");
        List<String> names = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] row = lines[i].split("\t", -1);
            if (row.length == header.size() && !"pgbouncer".equals(row[database])) {
                names.add(row[name]);
            }
        }
        return names;
    }

    private static Path findPsql() {
        Path bin = TestDatabase.findBinDir(System.getenv());
        if (bin != null && Files.isExecutable(bin.resolve("psql"))) {
            return bin.resolve("psql");
        }
        for (String candidate : List.of("/usr/bin/psql", "/usr/local/bin/psql")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        throw new IllegalStateException("psql is needed to read PgBouncer's admin console: apt-get install"
                + " postgresql-client");
    }

    /** PgBouncer's log, for failure messages. */
    public String log() {
        StringBuilder sb = new StringBuilder();
        for (String f : List.of("pgbouncer.log", "stdout.log")) {
            try {
                Path p = dir.resolve(f);
                if (Files.exists(p)) {
                    sb.append(Files.readString(p, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                sb.append("(cannot read ").append(f).append(": ").append(e).append(")\n");
            }
        }
        return sb.toString();
    }

    private void stopProcess() {
        // runuser passes SIGTERM on to PgBouncer; the pid file names PgBouncer itself should it not
        try {
            Path pidFile = dir.resolve("pgbouncer.pid");
            if (Files.exists(pidFile)) {
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
            }
        } catch (IOException | NumberFormatException e) {
            // fall back to the child process below
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stop() {
        try {
            Runtime.getRuntime().removeShutdownHook(exitHook);
        } catch (IllegalStateException exiting) {
            // the hook is running or about to
        }
        stopProcess();
    }

    @Override
    public void close() {
        stop();
        deleteQuietly(dir);
    }

    private static void deleteQuietly(Path dir) {
        try {
            LocalCluster.deleteRecursively(dir);
        } catch (IOException e) {
            System.err.println("[PgBouncer] cannot delete " + dir + ": " + e);
        }
    }

    private static UserPrincipal postgresUser() throws IOException {
        return Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(OS_USER);
    }


    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
