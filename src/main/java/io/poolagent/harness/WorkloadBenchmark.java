package io.poolagent.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The workload benchmark: the connect-per-request app's {@code loop} mode (each of 8 threads: get a connection,
 * {@code SELECT 1}, close) three ways against one throwaway PostgreSQL: no agent (a server connection per
 * operation), under the agent ({@code connection_limit=8}), and with HikariCP wired in by hand. Prints the
 * throughputs and ratios and rewrites the workload section of BENCHMARKS.md. Run by {@code scripts/bench-workload}.
 *
 * <p>Arguments: {@code [seconds]} or {@code --seconds S}, plus {@code --threads N} and {@code --warmup-seconds W}.
 * BENCHMARKS.md is rewritten only when all three runs produced a result; exit 1 otherwise.
 */
public final class WorkloadBenchmark {

    static final String BEGIN = "<!-- workload:begin -->";
    static final String END = "<!-- workload:end -->";
    static final double TARGET_VS_NONE = 50.0;
    static final double TARGET_VS_HIKARI = 0.9;

    private static final Pattern FIELD = Pattern.compile("(\\w+)=(\\S+)");

    private WorkloadBenchmark() {
    }

    /** One run's parsed RESULT line, or why there is none. */
    record Result(String name, String how, List<String> command, long ops, double seconds, double opsPerSec,
                  long errors, int peakConnections, String failure) {
        boolean ok() {
            return failure == null;
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = 10;
        int threads = 8;
        int warmup = 2;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--warmup-seconds" -> warmup = Integer.parseInt(args[++i]);
                default -> seconds = Integer.parseInt(args[i]);
            }
        }
        String command = System.getProperty("poolagent.command",
                "java io.poolagent.harness.WorkloadBenchmark " + String.join(" ", args)).trim();

        List<Result> results = new ArrayList<>();
        String serverVersion;
        try (TestDatabase db = TestDatabase.start(100)) {
            serverVersion = serverVersion(db);
            System.out.println("database: " + db.describe());
            // The same DATABASE_URL for all three runs: only the agent reads its query.
            String databaseUrl = db.databaseUrl("connection_limit=" + threads);
            List<String> loop = List.of("loop", "--threads", Integer.toString(threads),
                    "--seconds", Integer.toString(seconds), "--warmup-seconds", Integer.toString(warmup));
            try (Connection admin = db.openAdmin();
                 ConnectionSampler sampler = new ConnectionSampler(admin, db.appUser(), Duration.ofMillis(100))) {
                results.add(run("none", "DriverManager, a new server connection per operation", false, loop,
                        "none", databaseUrl, seconds + warmup, sampler));
                results.add(run("agent", "DriverManager under -javaagent:pool-agent.jar, connection_limit="
                        + threads, true, loop, "none", databaseUrl, seconds + warmup, sampler));
                results.add(run("hikari", "HikariDataSource wired in by hand, maximumPoolSize=" + threads, false,
                        loop, "hikari", databaseUrl, seconds + warmup, sampler));
            }
        }

        Result none = results.get(0);
        Result agent = results.get(1);
        Result hikari = results.get(2);
        System.out.println();
        for (Result r : results) {
            System.out.println(r.ok()
                    ? String.format(Locale.ROOT, "%-7s %12.1f ops/s  (%d ops in %.2f s, %d errors)",
                    r.name(), r.opsPerSec(), r.ops(), r.seconds(), r.errors())
                    : String.format(Locale.ROOT, "%-7s failed: %s", r.name(), r.failure()));
        }
        if (!results.stream().allMatch(Result::ok)) {
            System.out.println("BENCHMARKS.md not updated: not every run produced a result.");
            System.exit(1);
        }
        double vsNone = agent.opsPerSec() / none.opsPerSec();
        double vsHikari = agent.opsPerSec() / hikari.opsPerSec();
        System.out.printf(Locale.ROOT, "agent/none   = %.1fx (target >= %.0fx: %s)%n", vsNone, TARGET_VS_NONE,
                vsNone >= TARGET_VS_NONE ? "met" : "NOT met");
        System.out.printf(Locale.ROOT, "agent/hikari = %.2fx (target >= %.1fx: %s)%n", vsHikari, TARGET_VS_HIKARI,
                vsHikari >= TARGET_VS_HIKARI ? "met" : "NOT met");

        String section = section(command, seconds, warmup, threads, serverVersion, results, vsNone, vsHikari);
        Path file = Artifacts.root().resolve("BENCHMARKS.md");
        writeSection(file, section);
        System.out.println("updated " + file);
        System.exit(0);
    }

    private static Result run(String name, String how, boolean withAgent, List<String> loop, String pool,
                              String databaseUrl, int runSeconds, ConnectionSampler sampler) {
        System.out.println("== " + name + ": " + how);
        sampler.awaitAtMost(0, Duration.ofSeconds(30));
        List<String> args = new ArrayList<>(loop);
        args.add("--pool");
        args.add(pool);
        ChildJvm.Builder b = ChildJvm.java()
                .name("loop-" + name)
                .jar(Artifacts.appJar(AppUnderTest.CONNECT_PER_REQUEST), args.toArray(String[]::new))
                .env("DATABASE_URL", databaseUrl);
        if (withAgent) {
            b.agent(Artifacts.agentJar());
        }
        List<String> command = b.commandLine();
        try (ChildJvm child = b.start()) {
            sampler.reset();
            String line = child.awaitLine("RESULT ", Duration.ofSeconds(runSeconds + 120L));
            int exit = child.waitFor(Duration.ofSeconds(60));
            Map<String, String> f = new LinkedHashMap<>();
            Matcher m = FIELD.matcher(line);
            while (m.find()) {
                f.put(m.group(1), m.group(2));
            }
            int peak = sampler.peak();
            System.out.println("   " + line + "  (exit " + exit + ", peak app connections " + peak + ")");
            if (exit != 0) {
                return failed(name, how, command, "exit code " + exit);
            }
            return new Result(name, how, command, Long.parseLong(f.get("ops")), Double.parseDouble(f.get("seconds")),
                    Double.parseDouble(f.get("ops_per_sec")), Long.parseLong(f.get("errors")), peak, null);
        } catch (RuntimeException e) {
            System.out.println("   failed: " + e.getMessage());
            return failed(name, how, command, firstLine(e.getMessage()));
        }
    }

    private static Result failed(String name, String how, List<String> command, String why) {
        return new Result(name, how, command, 0, 0, 0, 0, -1, why);
    }

    private static String serverVersion(TestDatabase db) throws SQLException {
        try (Connection c = db.openAdmin(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }

    // --------------------------------------------------------------------------------------------- the record

    static String section(String command, int seconds, int warmup, int threads, String serverVersion,
                          List<Result> results, double vsNone, double vsHikari) {
        StringBuilder s = new StringBuilder();
        s.append(BEGIN).append('\n');
        s.append("## Workload: connect, `SELECT 1`, close in a loop\n\n");
        s.append("- Command: `").append(command).append("`\n");
        s.append("- Date: ").append(ZonedDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"))).append('\n');
        s.append("- Machine: ").append(machine()).append(", ").append(javaVersion())
                .append(", PostgreSQL ").append(serverVersion).append('\n');
        s.append("- Settings: `connect-per-request.jar loop --threads ").append(threads)
                .append(" --seconds ").append(seconds).append(" --warmup-seconds ").append(warmup)
                .append("`, one JVM per run; throwaway PostgreSQL on 127.0.0.1 with max_connections=100;")
                .append(" `DATABASE_URL=postgresql://app:…@127.0.0.1:…/app?connection_limit=").append(threads)
                .append("` for every run (only the agent reads the query)\n\n");
        s.append("| run | how the app gets its connections | ops/s | ops | errors | peak server connections"
                + " | agent ÷ this |\n");
        s.append("|---|---|---:|---:|---:|---:|---:|\n");
        double agent = results.get(1).opsPerSec();
        for (Result r : results) {
            s.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %d | %d | %d | %s |%n", r.name(), r.how(),
                    r.opsPerSec(), r.ops(), r.errors(), r.peakConnections(),
                    r.name().equals("agent") ? "—" : String.format(Locale.ROOT, "%.2f×", agent / r.opsPerSec())));
        }
        s.append('\n');
        s.append(String.format(Locale.ROOT, "Targets: agent ≥ %.0f× none — %s (%.1f×); agent ≥ %.1f× hikari — %s"
                        + " (%.2f×).%n", TARGET_VS_NONE, vsNone >= TARGET_VS_NONE ? "met" : "**not met**", vsNone,
                TARGET_VS_HIKARI, vsHikari >= TARGET_VS_HIKARI ? "met" : "**not met**", vsHikari));
        s.append(END).append('\n');
        return s.toString();
    }

    /** Replaces the text between the markers (markers included); appends the section if they are absent. */
    static void writeSection(Path file, String section) throws IOException {
        String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8)
                : "# Benchmarks\n\nMeasured results, each section rewritten by the script named in it.\n\n";
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END, Math.max(begin, 0));
        String updated;
        if (begin >= 0 && end >= 0) {
            int after = end + END.length();
            if (after < text.length() && text.charAt(after) == '\n') {
                after++;
            }
            updated = text.substring(0, begin) + section + text.substring(after);
        } else {
            updated = text + (text.isEmpty() || text.endsWith("\n\n") ? "" : text.endsWith("\n") ? "\n" : "\n\n")
                    + section;
        }
        Files.writeString(file, updated, StandardCharsets.UTF_8);
    }

    /** CPUs, CPU model and memory, from the JVM and /proc. */
    static String machine() {
        int cpus = Runtime.getRuntime().availableProcessors();
        String model = procField("/proc/cpuinfo", "model name").orElse("unknown CPU");
        String memory = procField("/proc/meminfo", "MemTotal")
                .map(v -> String.format(Locale.ROOT, "%.1f GiB RAM",
                        Long.parseLong(v.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0))
                .orElse("unknown RAM");
        return cpus + " CPUs (nproc; " + model + "), " + memory;
    }

    private static Optional<String> procField(String file, String field) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(field)) {
                    return Optional.of(line.substring(colon + 1).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or unreadable: reported as unknown
        }
        return Optional.empty();
    }

    /** First line of {@code java -version} for the java the children run on. */
    static String javaVersion() {
        try (ChildJvm java = ChildJvm.java().name("java-version").args("-version").start()) {
            java.waitFor(Duration.ofSeconds(30));
            return java.stderrLines().stream().findFirst().orElse("java (unknown version)");
        } catch (RuntimeException e) {
            return "java (unknown version)";
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
