package io.poolagent.harness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway PostgreSQL cluster made with the local server binaries: a fresh temporary directory holding a new
 * cluster, started with pg_ctl on a free 127.0.0.1 port. Only {@link TestDatabase} uses this class.
 *
 * <p>initdb is the slow part (one to several seconds, most of a cluster's startup), so it runs once per JVM and binary
 * directory, into a template directory; each cluster is a copy of that template ({@code cp -a}, a fraction of the
 * time), configured and started on its own. The superuser {@code postgres} has a random password (given to initdb
 * with --pwfile), shared by the clusters of one JVM. Templates are deleted by {@link #deleteTemplates()} at JVM exit.
 *
 * <p>Layout of the temporary directory: {@code data/} (the cluster), {@code server.log} (the server's log) and the
 * unix socket. As root, the directory belongs to the {@code postgres} OS user and every server binary runs as that
 * user through {@code runuser}, because PostgreSQL refuses to run as root.
 */
final class LocalCluster {
    static final String SUPERUSER = "postgres";
    private static final String OS_USER = "postgres";
    private static final int PORT_ATTEMPTS = 5;
    private static final Duration INITDB_TIMEOUT = Duration.ofSeconds(120);
    private static final int PG_CTL_WAIT_SECONDS = 60;
    private static final int LOG_TAIL_LINES = 40;
    private static final Map<Path, LocalCluster> TEMPLATES = new HashMap<>();

    private final Path binDir;
    private final Path baseDir;
    private final Path dataDir;
    private final Path logFile;
    private final boolean runAsPostgres;
    private final String superuserPassword;
    private int port;

    private LocalCluster(Path binDir, Path baseDir, boolean runAsPostgres, String superuserPassword) {
        this.binDir = binDir;
        this.baseDir = baseDir;
        this.dataDir = baseDir.resolve("data");
        this.logFile = baseDir.resolve("server.log");
        this.runAsPostgres = runAsPostgres;
        this.superuserPassword = superuserPassword;
    }

    /**
     * A new running cluster (copy of the template, configured, pg_ctl start); on failure everything made so far is
     * removed and the exception carries the server log tail.
     */
    static LocalCluster start(Path binDir, int maxConnections) {
        boolean asRoot = isRoot();
        UserPrincipal postgresUser = asRoot ? lookupPostgresUser() : null;
        LocalCluster template = template(binDir, asRoot, postgresUser);
        LocalCluster cluster = new LocalCluster(binDir, newBaseDir("pool-agent-pg-", postgresUser), asRoot,
                template.superuserPassword);
        try {
            cluster.copyFrom(template);
            cluster.configure(maxConnections);
            cluster.startOnFreePort();
            return cluster;
        } catch (RuntimeException | Error e) {
            try {
                cluster.destroy();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** The template for binDir, made with initdb on first use (later calls wait for it). */
    private static synchronized LocalCluster template(Path binDir, boolean asRoot, UserPrincipal postgresUser) {
        LocalCluster template = TEMPLATES.get(binDir);
        if (template != null && Files.isDirectory(template.dataDir)) {
            return template;
        }
        template = new LocalCluster(binDir, newBaseDir("pool-agent-pg-template-", postgresUser), asRoot,
                randomPassword());
        try {
            template.initdb(postgresUser);
        } catch (RuntimeException | Error e) {
            try {
                deleteRecursively(template.baseDir);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        TEMPLATES.put(binDir, template);
        return template;
    }

    /** Deletes the initdb templates (at JVM exit; clusters already made from them are unaffected). */
    static synchronized void deleteTemplates() {
        for (LocalCluster template : TEMPLATES.values()) {
            try {
                deleteRecursively(template.baseDir);
            } catch (IOException e) {
                System.err.println("[TestDatabase] cannot delete " + template.baseDir + ": " + e);
            }
        }
        TEMPLATES.clear();
    }

    private static Path newBaseDir(String prefix, UserPrincipal postgresUser) {
        try {
            Path base = Files.createTempDirectory(prefix);
            if (postgresUser != null) {
                Files.setOwner(base, postgresUser);
            }
            return base;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create a temporary directory for a PostgreSQL cluster: " + e, e);
        }
    }

    private static String randomPassword() {
        java.security.SecureRandom random = new java.security.SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            sb.append("abcdefghijklmnopqrstuvwxyz0123456789".charAt(random.nextInt(36)));
        }
        return sb.toString();
    }

    int port() {
        return port;
    }

    String superuserPassword() {
        return superuserPassword;
    }

    Path binDir() {
        return binDir;
    }

    Path baseDir() {
        return baseDir;
    }

    Path dataDir() {
        return dataDir;
    }

    /** pg_ctl stop -m fast, then start again with the same data on the same port. */
    void restart() {
        Result stop = pgCtl("stop", "-w", "-t", String.valueOf(PG_CTL_WAIT_SECONDS), "-m", "fast");
        if (stop.exit != 0) {
            throw failure("pg_ctl stop (for restart) failed with exit code " + stop.exit, stop.output);
        }
        Result start = pgCtlStart(port);
        if (start.exit != 0) {
            throw failure("pg_ctl start (for restart on port " + port + ") failed with exit code " + start.exit,
                    start.output);
        }
    }

    /** Stops the server (fast, then immediate, then by killing the postmaster) and deletes the directory. */
    void destroy() {
        RuntimeException problem = null;
        try {
            if (Files.exists(dataDir.resolve("postmaster.pid"))) {
                Result stop = pgCtl("stop", "-w", "-t", "30", "-m", "fast");
                if (stop.exit != 0 && Files.exists(dataDir.resolve("postmaster.pid"))) {
                    pgCtl("stop", "-w", "-t", "10", "-m", "immediate");
                }
                if (Files.exists(dataDir.resolve("postmaster.pid"))) {
                    killPostmaster();
                }
            }
        } catch (RuntimeException e) {
            problem = e;
        }
        try {
            deleteRecursively(baseDir);
        } catch (IOException e) {
            IllegalStateException deleteFailure =
                    new IllegalStateException("Cannot delete the PostgreSQL test cluster directory " + baseDir + ": " + e, e);
            if (problem != null) {
                deleteFailure.addSuppressed(problem);
            }
            throw deleteFailure;
        }
        if (problem != null) {
            throw problem;
        }
    }

    /** The last lines of the server log, for error messages. */
    String logTail() {
        try {
            if (!Files.exists(logFile)) {
                return "(no server log at " + logFile + ")";
            }
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
            return tail.isEmpty() ? "(server log " + logFile + " is empty)" : String.join("\n", tail);
        } catch (IOException e) {
            return "(cannot read the server log " + logFile + ": " + e + ")";
        }
    }

    IllegalStateException failure(String what, String commandOutput) {
        StringBuilder message = new StringBuilder("PostgreSQL test cluster in ").append(baseDir).append(": ").append(what);
        if (commandOutput != null && !commandOutput.isBlank()) {
            message.append("\n--- command output ---\n").append(commandOutput.strip());
        }
        message.append("\n--- tail of ").append(logFile).append(" ---\n").append(logTail());
        return new IllegalStateException(message.toString());
    }

    // ------------------------------------------------------------------------------------------------ internals

    private void initdb(UserPrincipal postgresUser) {
        Path pwfile = baseDir.resolve("superuser.pw");
        try {
            Files.writeString(pwfile, superuserPassword + "\n", StandardCharsets.UTF_8);
            if (postgresUser != null) {
                Files.setOwner(pwfile, postgresUser);
            }
            Result result = run(List.of(
                    binDir.resolve("initdb").toString(),
                    "-D", dataDir.toString(),
                    "-U", SUPERUSER,
                    "--pwfile=" + pwfile,
                    "--auth=scram-sha-256",
                    "--encoding=UTF8",
                    "--locale=C",
                    "--no-sync"), INITDB_TIMEOUT);
            if (result.exit != 0) {
                throw failure("initdb failed with exit code " + result.exit, result.output);
            }
        } catch (IOException e) {
            throw failure("initdb could not run: " + e, null);
        } finally {
            try {
                Files.deleteIfExists(pwfile);
            } catch (IOException ignored) {
                // the whole directory is deleted with the cluster anyway
            }
        }
    }

    private void copyFrom(LocalCluster template) {
        try {
            // cp -a keeps modes (PostgreSQL insists on 0700/0750) and runs as the owner of the result.
            Result result = run(List.of("cp", "-a", template.dataDir.toString(), dataDir.toString()), INITDB_TIMEOUT);
            if (result.exit != 0) {
                throw failure("copying the initdb template " + template.dataDir + " failed with exit code "
                        + result.exit, result.output);
            }
        } catch (IOException e) {
            throw failure("cannot copy the initdb template " + template.dataDir + ": " + e, null);
        }
    }

    private void configure(int maxConnections) {
        String settings = "\n# --- pool-agent TestDatabase (throwaway cluster; speed over durability) ---\n"
                + "listen_addresses = '127.0.0.1'\n"
                + "unix_socket_directories = '" + baseDir.toString().replace("'", "''") + "'\n"
                + "max_connections = " + maxConnections + "\n"
                + "fsync = off\n"
                + "synchronous_commit = off\n"
                + "full_page_writes = off\n";
        try {
            Files.writeString(dataDir.resolve("postgresql.conf"), settings, StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw failure("cannot write postgresql.conf: " + e, null);
        }
    }

    private void startOnFreePort() {
        for (int attempt = 1; ; attempt++) {
            int candidate = freePort();
            long logSizeBefore = logSize();
            Result result = pgCtlStart(candidate);
            if (result.exit == 0) {
                port = candidate;
                return;
            }
            boolean portTaken = newLogText(logSizeBefore).contains("Address already in use");
            if (portTaken && attempt < PORT_ATTEMPTS) {
                // Someone bound the port between our probe and the server's bind; try another one.
                if (Files.exists(dataDir.resolve("postmaster.pid"))) {
                    pgCtl("stop", "-w", "-t", "10", "-m", "immediate");
                }
                continue;
            }
            throw failure("pg_ctl start on port " + candidate + " failed with exit code " + result.exit
                    + (portTaken ? " (port taken " + attempt + " times)" : ""), result.output);
        }
    }

    private Result pgCtlStart(int onPort) {
        return pgCtl("start", "-w", "-t", String.valueOf(PG_CTL_WAIT_SECONDS), "-l", logFile.toString(),
                "-o", "-p " + onPort);
    }

    private Result pgCtl(String... args) {
        List<String> command = new ArrayList<>();
        command.add(binDir.resolve("pg_ctl").toString());
        command.add("-D");
        command.add(dataDir.toString());
        command.addAll(List.of(args));
        try {
            return run(command, Duration.ofSeconds(PG_CTL_WAIT_SECONDS + 30));
        } catch (IOException e) {
            throw failure("cannot run " + command + ": " + e, null);
        }
    }

    private void killPostmaster() {
        try {
            String first = Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.UTF_8).get(0).trim();
            Optional<ProcessHandle> postmaster = ProcessHandle.of(Long.parseLong(first));
            if (postmaster.isPresent()) {
                postmaster.get().destroyForcibly();
                postmaster.get().onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw failure("cannot stop the postmaster: " + e, null);
        }
    }

    private long logSize() {
        try {
            return Files.exists(logFile) ? Files.size(logFile) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private String newLogText(long from) {
        try {
            if (!Files.exists(logFile)) {
                return "";
            }
            byte[] all = Files.readAllBytes(logFile);
            int start = (int) Math.min(from, all.length);
            return new String(all, start, all.length - start, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private record Result(int exit, String output) {
    }

    /** Runs a server binary (as the postgres OS user when we are root), output captured through a file. */
    private Result run(List<String> command, Duration timeout) throws IOException {
        List<String> full = new ArrayList<>();
        if (runAsPostgres) {
            full.add(runuser());
            full.add("-u");
            full.add(OS_USER);
            full.add("--");
        }
        full.addAll(command);
        Path out = Files.createTempFile("pool-agent-pg-cmd-", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(full)
                    .directory(baseDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            // libpq/server environment variables of the caller must not leak into our cluster.
            builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
            Process process = builder.start();
            boolean finished;
            try {
                finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while running " + full, e);
            }
            if (!finished) {
                process.destroyForcibly();
                return new Result(-1, "timed out after " + timeout.toSeconds() + "s: " + String.join(" ", full)
                        + "\n" + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The runuser binary, to run a server as the postgres OS user when the tests run as root. */
    static String runuser() {
        for (String candidate : List.of("/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return "runuser";
    }

    /** A TCP port free on 127.0.0.1 now. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot find a free TCP port on 127.0.0.1: " + e, e);
        }
    }

    static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return uid instanceof Integer && (Integer) uid == 0;
        } catch (Exception | LinkageError e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static UserPrincipal lookupPostgresUser() {
        try {
            return Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(OS_USER);
        } catch (IOException e) {
            throw new IllegalStateException("Running as root, and PostgreSQL refuses to run as root, so the test cluster "
                    + "runs as the OS user '" + OS_USER + "'; but that user does not exist (" + e + "). Create it "
                    + "(installing the Debian/Ubuntu package 'postgresql' does; or: useradd --system " + OS_USER
                    + ") or run the tests as an ordinary user.", e);
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                try {
                    Files.delete(file);
                } catch (NoSuchFileException ignored) {
                    // gone already
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                try {
                    Files.delete(dir);
                } catch (NoSuchFileException ignored) {
                    // gone already
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
