package io.poolagent.bench;

import io.poolagent.harness.Artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Reads the JMH JSON of a pool benchmark run and rewrites the pool section of BENCHMARKS.md, with the two
 * requirements reported apart: the hot path against HikariCP (throughputs of (a) our pool, (b) HikariCP and (c) the
 * agent's DriverManager path at each thread count, the ratios against the targets, and the contended latency
 * percentiles, with and without connections held), and the cost of acquisition tracking ((a), leak detection off,
 * against (a′), on). Run by scripts/bench-pool.
 *
 * <p>Usage: {@code PoolBenchmarkReport <jmh.json>...}, one JSON per round: scripts/bench-pool runs every subject
 * once per round, and figures are the medians of the rounds. System properties, all optional:
 * {@code poolagent.root}, {@code poolagent.command} (what was run), {@code poolagent.jmhCommand} (the JMH command
 * line), {@code poolagent.agentJar} (the agent jar measured, for its checksum), {@code poolagent.loadBefore}
 * (/proc/loadavg when the run started), {@code poolagent.revision} (the commit, and whether the jars may differ
 * from it), {@code poolagent.stackDepthFile} (the acquisition stack depth (a′) recorded).
 * Exit 1, leaving BENCHMARKS.md alone, when the JSON holds none of the pool benchmarks.
 */
public final class PoolBenchmarkReport {

    static final String BEGIN = "<!-- pool:begin -->";
    static final String END = "<!-- pool:end -->";
    static final double TARGET_OURS_VS_HIKARI = 1.0;
    static final double TARGET_AGENT_VS_HIKARI = 0.8;
    /** Tracking on may cost this share of throughput (on ≥ 0.9 × off) ... */
    static final double TARGET_TRACKED_VS_UNTRACKED = 0.9;
    /** ... or this much time per borrow + close, whichever allows more. */
    static final double TARGET_TRACKING_EXTRA_NANOS = 1000;
    /** What the issue estimates one more frame adds to {@code new Throwable()}. */

    private static final String OURS = "OurPoolBenchmark";
    private static final String HIKARI = "HikariBenchmark";
    private static final String AGENT = "AgentPathBenchmark";
    private static final String TRACKED = "TrackedPoolBenchmark";
    /** The hot-path comparison's subjects; {@link #TRACKED} is only compared with {@link #OURS}. */
    private static final List<String> HOT_PATH = List.of(OURS, HIKARI, AGENT);
    private static final List<String> SUBJECTS = List.of(OURS, TRACKED, HIKARI, AGENT);

    /** A benchmark method, its threads and pool size, as the table row reads it. */
    record Case(String method, String label) {
    }

    static final List<Case> CASES = List.of(
            new Case("t01_pool01", "1 thread, 1 connection"),
            new Case("t08_pool08", "8 threads, 8 connections"),
            new Case("t32_pool16", "32 threads, 16 connections (contended)"));
    static final String CONTENDED = "t32_pool16";
    /** The same contention with each connection held for a parked query time, so that borrowers really queue. */
    static final String HELD = "t32_pool16_held";
    /** The same contention, nothing held, with only the borrow timed: the wait itself. */
    static final String BORROW_ONLY = "t32_pool16_borrow";
    /** Tracking is measured uncontended: under contention the wait for a connection would hide its cost. */
    static final List<Case> TRACKED_CASES = CASES.subList(0, 2);

    /**
     * One JMH result: a score with its error, or percentiles for SampleTime. {@code round} numbers the JMH runs of
     * one report (0 when there is one); {@code roundScores} and {@code roundP999} hold each round's score and
     * p99.9 when this result is the median of several rounds, else just this one's.
     */
    record Result(String subject, String method, String mode, int threads, double score, double error, String unit,
                  Map<String, Double> percentiles, long samples, long samplesOverOneMicro, int round,
                  List<Double> roundScores, List<Double> roundP999) {
    }

    private PoolBenchmarkReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: PoolBenchmarkReport <jmh.json>... (one per round)");
            System.exit(2);
        }
        List<Result> results = new ArrayList<>();
        Map<String, String> settings = null;
        for (int round = 0; round < args.length; round++) {
            Object parsed = Json.parse(Files.readString(Path.of(args[round]), StandardCharsets.UTF_8));
            results.addAll(results(parsed, round));
            if (settings == null) {
                settings = settings(parsed);
            }
        }
        if (results.isEmpty()) {
            System.err.println(String.join(", ", args) + " hold no io.poolagent.bench result; BENCHMARKS.md not"
                    + " updated");
            System.exit(1);
        }
        String section = section(results, settings);
        Path file = Artifacts.root().resolve("BENCHMARKS.md");
        writeSection(file, section);
        System.out.print(section);
        System.out.println("updated " + file);
    }

    // ------------------------------------------------------------------------------------------- reading JMH

    static List<Result> results(Object parsed) {
        return results(parsed, 0);
    }

    @SuppressWarnings("unchecked")
    static List<Result> results(Object parsed, int round) {
        List<Result> out = new ArrayList<>();
        for (Object o : (List<Object>) parsed) {
            Map<String, Object> r = (Map<String, Object>) o;
            String benchmark = (String) r.get("benchmark");
            String[] parts = benchmark.split("\\.");
            if (parts.length < 2 || !benchmark.startsWith(PoolBenchmarkReport.class.getPackageName() + ".")) {
                continue;
            }
            String subject = parts[parts.length - 2];
            String method = parts[parts.length - 1];
            Map<String, Object> metric = (Map<String, Object>) r.get("primaryMetric");
            Map<String, Double> percentiles = new LinkedHashMap<>();
            Object p = metric.get("scorePercentiles");
            if (p instanceof Map<?, ?> m) {
                m.forEach((k, v) -> percentiles.put((String) k, number(v)));
            }
            double score = number(metric.get("score"));
            out.add(new Result(subject, method, (String) r.get("mode"), (int) number(r.get("threads")),
                    score, number(metric.get("scoreError")), (String) metric.get("scoreUnit"),
                    percentiles, samples(metric.get("rawDataHistogram"), 0),
                    samples(metric.get("rawDataHistogram"), oneMicro((String) metric.get("scoreUnit"))), round,
                    List.of(score), List.of(percentiles.getOrDefault("99.9", Double.NaN))));
        }
        return out;
    }

    /**
     * SampleTime's histogram is per fork, per iteration, a list of [value, count]: the counts of the values above
     * {@code over} add up.
     */
    private static long samples(Object histogram, double over) {
        if (!(histogram instanceof List<?> forks)) {
            return -1;
        }
        long n = 0;
        for (Object fork : forks) {
            for (Object iteration : (List<?>) fork) {
                for (Object bucket : (List<?>) iteration) {
                    List<?> b = (List<?>) bucket;
                    if (number(b.get(0)) > over) {
                        n += (long) number(b.get(1));
                    }
                }
            }
        }
        return n;
    }

    /** One microsecond in a SampleTime unit such as "us/op"; negative (everything counts) for other units. */
    private static double oneMicro(String unit) {
        if (unit == null || unit.indexOf('/') < 0) {
            return -1;
        }
        return switch (unit.substring(0, unit.indexOf('/'))) {
            case "ns" -> 1000.0;
            case "us" -> 1.0;
            case "ms" -> 1e-3;
            case "s" -> 1e-6;
            default -> -1;
        };
    }

    /** JMH writes "NaN" as a string where a score has no error (one iteration). */
    private static double number(Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    /** Warmup and measurement settings, and each subject's fork JVM options, from the results themselves. */
    @SuppressWarnings("unchecked")
    static Map<String, String> settings(Object parsed) {
        Map<String, String> s = new LinkedHashMap<>();
        for (Object o : (List<Object>) parsed) {
            Map<String, Object> r = (Map<String, Object>) o;
            String benchmark = (String) r.get("benchmark");
            String[] parts = benchmark.split("\\.");
            if (parts.length < 2) {
                continue;
            }
            s.putIfAbsent("jmh", "JMH " + r.get("jmhVersion") + ", " + (int) number(r.get("forks")) + " fork per"
                    + " benchmark, warmup " + (int) number(r.get("warmupIterations")) + " × " + r.get("warmupTime")
                    + ", measurement " + (int) number(r.get("measurementIterations")) + " × "
                    + r.get("measurementTime"));
            s.putIfAbsent("jvm:" + parts[parts.length - 2], String.join(" ", (List<String>) r.get("jvmArgs")));
        }
        return s;
    }

    /** Every round's result of one benchmark, in round order. */
    static List<Result> rounds(List<Result> results, String subject, String method, String mode) {
        return results.stream()
                .filter(r -> r.subject().equals(subject) && r.method().equals(method) && r.mode().equals(mode))
                .sorted(java.util.Comparator.comparingInt(Result::round))
                .toList();
    }

    /**
     * One benchmark's result; over several rounds, their median: the median score and median percentiles (no JMH
     * error then: the spread of the rounds is what the table shows), samples added up.
     */
    static Optional<Result> find(List<Result> results, String subject, String method, String mode) {
        List<Result> all = rounds(results, subject, method, mode);
        if (all.size() <= 1) {
            return all.stream().findFirst();
        }
        Result first = all.get(0);
        Map<String, Double> percentiles = new LinkedHashMap<>();
        for (String key : first.percentiles().keySet()) {
            percentiles.put(key, median(all.stream().map(r -> r.percentiles().getOrDefault(key, Double.NaN)).toList()));
        }
        List<Double> scores = all.stream().map(Result::score).toList();
        return Optional.of(new Result(subject, method, mode, first.threads(), median(scores), Double.NaN,
                first.unit(), percentiles, all.stream().mapToLong(Result::samples).sum(),
                all.stream().mapToLong(Result::samplesOverOneMicro).sum(), -1, scores,
                all.stream().map(r -> r.percentiles().getOrDefault("99.9", Double.NaN)).toList()));
    }

    /** The ratio of {@code x} to {@code base} in each round both ran in: paired, so a slow round hits both. */
    static List<Double> roundRatios(List<Result> results, String x, String base, String method) {
        List<Double> out = new ArrayList<>();
        List<Result> bs = rounds(results, base, method, "thrpt");
        for (Result a : rounds(results, x, method, "thrpt")) {
            for (Result b : bs) {
                if (b.round() == a.round()) {
                    out.add(a.score() / b.score());
                }
            }
        }
        return out;
    }

    static double median(List<Double> values) {
        List<Double> v = values.stream().filter(d -> !Double.isNaN(d)).sorted().toList();
        if (v.isEmpty()) {
            return Double.NaN;
        }
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    /** How many rounds the report covers. */
    static int roundCount(List<Result> results) {
        return (int) results.stream().mapToInt(Result::round).distinct().count();
    }

    // -------------------------------------------------------------------------------------------- the record

    static String section(List<Result> results, Map<String, String> settings) {
        StringBuilder s = new StringBuilder();
        s.append(BEGIN).append('\n');
        s.append("## Pool: borrow + close against a stub driver (JMH): hot path vs HikariCP, and the cost of"
                + " acquisition tracking\n\n");
        String command = System.getProperty("poolagent.command", "scripts/bench-pool");
        s.append("- Command: `").append(command).append('`');
        String jmh = System.getProperty("poolagent.jmhCommand");
        if (jmh != null && !jmh.isBlank()) {
            s.append(", which runs `").append(jmh).append('`');
        }
        s.append('\n');
        s.append("- Date: ").append(ZonedDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"))).append('\n');
        String revision = System.getProperty("poolagent.revision");
        if (revision != null && !revision.isBlank()) {
            s.append("- Code: ").append(revision.trim()).append('\n');
        }
        s.append("- Machine: ").append(machine()).append(", ").append(javaVersion());
        String load = System.getProperty("poolagent.loadBefore");
        if (load != null && !load.isBlank()) {
            s.append("; load average when the run started: ").append(load.trim());
        }
        s.append('\n');
        if (settings.containsKey("jmh")) {
            int n = roundCount(results);
            s.append("- Settings: ").append(settings.get("jmh")).append(n > 1 ? ", in each of " + n + " rounds" : "")
                    .append("; fork JVM options: ");
            List<String> jvm = new ArrayList<>();
            for (String subject : SUBJECTS) {
                String args = settings.get("jvm:" + subject);
                if (args != null) {
                    jvm.add(letter(subject) + " `" + args + "`");
                }
            }
            s.append(String.join(", ", jvm)).append('\n');
        }
        // Said plainly, since it decides what (a) and (c) measure: the per-borrow stack capture is off in both.
        s.append("- Leak detection: **off** (`leak_detection_threshold=0`) in (a) and (c), as it is by default in"
                + " HikariCP, so that the hot-path comparison is like for like; (a) passes `")
                .append(OurPoolBenchmark.TRACKING_OFF.substring(1)).append("` in its pool settings, (c) passes"
                        + " `-Dpoolagent.leak_detection_threshold=0` to its fork. **On** (the default, "
                        + "60 s) only in (a′), the tracking-cost benchmark.\n");
        s.append("- Subjects: (a) our pool, `ConnectionPool.borrow()` + `close()` in-process without the agent"
                + " (`PoolRegistry`, `connection_limit` = pool size); (a′) the same with leak detection on, so each"
                + " borrow captures `new Throwable()` as its acquisition stack; (b) ").append(hikariVersion())
                .append(", `HikariDataSource.getConnection()` + `close()`, maximumPoolSize = minimumIdle = pool size,"
                        + " other settings default; (c) `DriverManager.getConnection(\"jdbc:stub:bench?connection_limit=N\","
                        + " props)` + `close()` in a JVM started with `-javaagent:pool-agent.jar`")
                .append(agentChecksum()).append(" (interception, pool lookup, pool). ")
                .append("The driver is `io.poolagent.bench.StubDriver`: no network, no I/O. Every pool is filled to"
                        + " its size before measuring and checked afterwards to have opened no more connections"
                        + " than that.\n\n");

        s.append("### 1. Hot path as fast as HikariCP: (a), (b), (c), leak detection off\n\n");
        int rounds = roundCount(results);
        if (rounds > 1) {
            s.append("#### Throughput (ops/µs, higher is better)\n\n");
            s.append("Each figure is the median of ").append(rounds).append(" rounds, with the lowest and highest in"
                    + " brackets. A round runs every subject once, one after another, so that the subjects of a round"
                    + " share the machine's state of the moment; each ratio is the median of the rounds' own ratios,"
                    + " which follow in brackets, and the targets are judged on it.\n\n");
        } else {
            s.append("#### Throughput (ops/µs, higher is better; ± is JMH's 99.9% confidence half-width)\n\n");
        }
        s.append(String.format(Locale.ROOT, "| threads, connections | (a) our pool | (b) HikariCP | (c) agent path"
                + " | a ÷ b | a ≥ %.1f× b | c ÷ b | c ≥ %.1f× b |%n", TARGET_OURS_VS_HIKARI, TARGET_AGENT_VS_HIKARI));
        s.append("|---|---:|---:|---:|---:|---|---:|---|\n");
        List<String> misses = new ArrayList<>();
        for (Case c : CASES) {
            Optional<Result> a = find(results, OURS, c.method(), "thrpt");
            Optional<Result> b = find(results, HIKARI, c.method(), "thrpt");
            Optional<Result> agent = find(results, AGENT, c.method(), "thrpt");
            List<Double> abRounds = roundRatios(results, OURS, HIKARI, c.method());
            List<Double> cbRounds = roundRatios(results, AGENT, HIKARI, c.method());
            String ab = ratio(abRounds);
            String cb = ratio(cbRounds);
            String abMet = verdict(abRounds, TARGET_OURS_VS_HIKARI);
            String cbMet = verdict(cbRounds, TARGET_AGENT_VS_HIKARI);
            if (!abMet.equals("met")) {
                misses.add("a ÷ b at " + c.label() + ": " + (ab.equals("—") ? "not measured" : ab));
            }
            if (!cbMet.equals("met")) {
                misses.add("c ÷ b at " + c.label() + ": " + (cb.equals("—") ? "not measured" : cb));
            }
            s.append("| ").append(c.label()).append(" | ").append(score(a)).append(" | ").append(score(b))
                    .append(" | ").append(score(agent)).append(" | ").append(ab).append(" | ").append(abMet)
                    .append(" | ").append(cb).append(" | ").append(cbMet).append(" |\n");
        }

        s.append("\n#### Latency under contention: 32 threads on 16 connections (JMH SampleTime, µs)\n\n");
        s.append("Three cases. **Nothing held**: borrow and close at once, as above. Only as many threads as there are"
                + " CPUs run at a time, so a borrower waits only when the threads holding every connection were"
                + " preempted while holding them; the tail then mostly shows the scheduler and interrupts, which hit"
                + " every pool alike, so the share of samples over 1 µs is given too. **Held**: each borrower keeps"
                + " its connection for a parked " + (BenchSupport.HOLD_NANOS / 1000) + " µs, as if waiting for a"
                + " query's answer, so about half of the borrowers are queued at any time: the borrow wait the"
                + " target is about, and what a FIFO hand-off should make better than HikariCP's. **Borrow only**:"
                + " nothing held, as in the first case, but each sample times the borrow alone, from the call to the"
                + " connection in hand; the close runs after it, untimed (a JMH invocation-level tear-down).\n\n");
        latencyTable(s, results, CONTENDED, "nothing held", true);
        latencyTable(s, results, HELD, "held " + (BenchSupport.HOLD_NANOS / 1000) + " µs", false);
        latencyTable(s, results, BORROW_ONLY, "borrow only", true);
        s.append('\n');
        for (String method : List.of(CONTENDED, HELD, BORROW_ONLY)) {
            String label = method.equals(HELD) ? "held" : method.equals(BORROW_ONLY) ? "borrow only" : "nothing held";
            Optional<Result> aLat = find(results, OURS, method, "sample");
            Optional<Result> bLat = find(results, HIKARI, method, "sample");
            String latVerdict;
            if (aLat.isPresent() && bLat.isPresent()) {
                double a = toMicros(aLat.get(), "99.9");
                double b = toMicros(bLat.get(), "99.9");
                latVerdict = (a <= b ? "met" : "**not met**") + String.format(Locale.ROOT, " (%s µs vs %s µs,"
                        + " %.2f×)", fmt(a), fmt(b), a / b);
                if (a > b) {
                    misses.add("p99.9 under contention, " + label + ": " + fmt(a) + " µs vs HikariCP " + fmt(b)
                            + " µs");
                }
            } else {
                latVerdict = "not measured";
                misses.add("p99.9 under contention, " + label + ": not measured");
            }
            s.append("Target: p99.9 of (a) ≤ p99.9 of (b), ").append(label).append(" — ").append(latVerdict)
                    .append(".\n");
        }
        s.append('\n');
        if (rounds > 1) {
            s.append("Percentiles are the median of the rounds' percentiles; samples are added up.\n\n");
        }
        s.append(misses.isEmpty() ? "All hot-path targets met in this run.\n"
                : "Hot-path targets missed in this run: " + String.join("; ", misses) + ".\n");

        tracking(s, results);
        s.append(END).append('\n');
        return s.toString();
    }

    /** One contended case's percentiles for (a), (b) and (c). */
    private static void latencyTable(StringBuilder s, List<Result> results, String method, String label,
                                     boolean overOneMicro) {
        boolean several = roundCount(results) > 1;
        s.append("| ").append(label).append(" | samples |").append(overOneMicro ? " over 1 µs |" : "")
                .append(" p50 | p90 | p99 | p99.9 | p99.99 | max |").append(several ? " p99.9 each round |" : "")
                .append('\n');
        s.append("|---|---:|").append(overOneMicro ? "---:|" : "").append("---:|---:|---:|---:|---:|---:|")
                .append(several ? "---|" : "").append('\n');
        for (String subject : HOT_PATH) {
            Optional<Result> r = find(results, subject, method, "sample");
            s.append("| ").append(letter(subject)).append(' ').append(name(subject)).append(" | ")
                    .append(r.map(x -> Long.toString(x.samples())).orElse("—"));
            if (overOneMicro) {
                s.append(" | ").append(r.filter(x -> x.samples() > 0)
                        .map(x -> String.format(Locale.ROOT, "%.3f%%", 100.0 * x.samplesOverOneMicro() / x.samples()))
                        .orElse("—"));
            }
            for (String p : List.of("50.0", "90.0", "99.0", "99.9", "99.99", "100.0")) {
                s.append(" | ").append(r.map(x -> micros(x, p)).orElse("—"));
            }
            if (several) {
                s.append(" | ").append(r.map(x -> {
                    List<String> each = new ArrayList<>();
                    for (double v : x.roundP999()) {
                        each.add(fmt(toMicros(x.unit(), v)));
                    }
                    return String.join(", ", each);
                }).orElse("—"));
            }
            s.append(" |\n");
        }
        s.append('\n');
    }

    /** The second requirement: borrow + close with acquisition tracking on, (a′), against off, (a). */
    private static void tracking(StringBuilder s, List<Result> results) {
        s.append("\n### 2. Acquisition tracking cheap enough to leave on: (a) off vs (a′) on\n\n");
        s.append(String.format(Locale.ROOT, "Target: with tracking on, at most 10%% slower (on ≥ %.1f× off) or at"
                        + " most %.0f ns more per borrow + close, whichever is larger. Time per borrow + close is CPU"
                        + " time: min(threads, CPUs) × 1000 ÷ (ops/µs) ns, since threads beyond the CPUs only wait.%n%n",
                TARGET_TRACKED_VS_UNTRACKED, TARGET_TRACKING_EXTRA_NANOS));
        s.append("| threads, connections | (a) off, ops/µs | (a′) on, ops/µs | on ÷ off | off, ns/op | on, ns/op"
                + " | extra ns per borrow | target met |\n");
        s.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
        List<String> misses = new ArrayList<>();
        boolean oversubscribed = false;
        for (Case c : TRACKED_CASES) {
            Optional<Result> off = find(results, OURS, c.method(), "thrpt");
            Optional<Result> on = find(results, TRACKED, c.method(), "thrpt");
            double offNs = off.map(PoolBenchmarkReport::nanosPerOp).orElse(Double.NaN);
            double onNs = on.map(PoolBenchmarkReport::nanosPerOp).orElse(Double.NaN);
            double extra = onNs - offNs;
            String met;
            if (off.isEmpty() || on.isEmpty()) {
                met = "not measured";
                misses.add(c.label() + ": not measured");
            } else {
                double r = median(roundRatios(results, TRACKED, OURS, c.method()));
                if (r >= TARGET_TRACKED_VS_UNTRACKED || extra <= TARGET_TRACKING_EXTRA_NANOS) {
                    met = "met";
                } else {
                    met = "**not met**";
                    misses.add(String.format(Locale.ROOT, "%s: %.2f×, %s ns more", c.label(), r, fmt(extra)));
                }
                oversubscribed |= on.get().threads() > Runtime.getRuntime().availableProcessors();
            }
            s.append("| ").append(c.label()).append(" | ").append(score(off)).append(" | ").append(score(on))
                    .append(" | ").append(ratio(roundRatios(results, TRACKED, OURS, c.method()))).append(" | ")
                    .append(fmt(offNs)).append(" | ")
                    .append(fmt(onNs)).append(" | ").append(fmt(extra)).append(" | ").append(met).append(" |\n");
        }
        s.append('\n');
        if (oversubscribed) {
            s.append("More threads than CPUs here: time per operation is counted on the CPUs the threads share.\n\n");
        }
        OptionalInt depth = stackDepth();
        s.append("The capture is `new Throwable()`, whose cost grows with the borrowing thread's stack depth;"
                + " until a pool's first leak only one borrow in 16 is captured. ");
        if (depth.isPresent()) {
            s.append("Here the acquisition stack is about ").append(depth.getAsInt())
                    .append(" frames deep (measured in (a′)'s setup, at the benchmark method's depth, plus the pool's"
                            + " own frames): JMH's harness under a one-line benchmark method.");
        } else {
            s.append("Here the stack is shallow, JMH's harness under a one-line benchmark method (its depth was not"
                    + " recorded in this run).");
        }
        s.append(" An application borrowing under a web framework, an ORM and transaction interceptors is usually far"
                + " deeper and pays more per captured borrow; this run does not measure how much.\n\n");
        s.append(misses.isEmpty() ? "Tracking target met in this run.\n"
                : "Tracking target missed in this run: " + String.join("; ", misses) + ".\n");
    }

    /** A throughput result's CPU time per operation, in ns: the busy CPUs share the ops/µs. */
    private static double nanosPerOp(Result r) {
        double opsPerMicro = r.score() * toPerMicro(r.unit());
        return Math.min(r.threads(), Runtime.getRuntime().availableProcessors()) * 1000.0 / opsPerMicro;
    }

    /** How many ops/µs one op per {@code unit}'s time is, for a throughput unit such as "ops/us". */
    private static double toPerMicro(String unit) {
        String per = unit.substring(unit.indexOf('/') + 1);
        return switch (per) {
            case "ns" -> 1000.0;
            case "ms" -> 1e-3;
            case "s" -> 1e-6;
            case "min" -> 1e-6 / 60;
            default -> 1.0;
        };
    }

    /** The depth (a′) wrote, if it ran in this run (scripts/bench-pool deletes the file before each run). */
    private static OptionalInt stackDepth() {
        String file = System.getProperty("poolagent.stackDepthFile");
        if (file == null || !Files.isRegularFile(Path.of(file))) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(Files.readString(Path.of(file), StandardCharsets.UTF_8).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private static String letter(String subject) {
        return switch (subject) {
            case OURS -> "(a)";
            case TRACKED -> "(a′)";
            case HIKARI -> "(b)";
            default -> "(c)";
        };
    }

    private static String name(String subject) {
        return switch (subject) {
            case OURS -> "our pool";
            case TRACKED -> "our pool, tracking on";
            case HIKARI -> "HikariCP";
            default -> "agent path";
        };
    }

    /** One round: the score ± JMH's error; several: the median, then the lowest and highest round. */
    private static String score(Optional<Result> r) {
        return r.map(x -> {
            if (x.roundScores().size() > 1) {
                return fmt(x.score()) + " (" + fmt(x.roundScores().stream().min(Double::compare).get()) + "–"
                        + fmt(x.roundScores().stream().max(Double::compare).get()) + ")";
            }
            return Double.isNaN(x.error()) ? fmt(x.score()) : fmt(x.score()) + " ± " + fmt(x.error());
        }).orElse("—");
    }

    /** The median of the rounds' ratios, then each round's when there are several. */
    private static String ratio(List<Double> rounds) {
        if (rounds.isEmpty()) {
            return "—";
        }
        String median = String.format(Locale.ROOT, "%.2f×", median(rounds));
        if (rounds.size() == 1) {
            return median;
        }
        List<String> each = new ArrayList<>();
        for (double r : rounds) {
            each.add(String.format(Locale.ROOT, "%.2f", r));
        }
        return median + " (" + String.join(", ", each) + ")";
    }

    /** Judged on the median ratio: one lucky or unlucky round decides nothing. */
    private static String verdict(List<Double> rounds, double target) {
        if (rounds.isEmpty()) {
            return "not measured";
        }
        return median(rounds) >= target ? "met" : "**not met**";
    }

    private static String micros(Result r, String percentile) {
        return fmt(toMicros(r, percentile));
    }

    /** Percentiles are in the result's unit; the table is in µs whatever unit JMH was asked for. */
    private static double toMicros(Result r, String percentile) {
        Double v = r.percentiles().get(percentile);
        return v == null ? Double.NaN : toMicros(r.unit(), v);
    }

    private static double toMicros(String scoreUnit, double v) {
        String unit = scoreUnit.substring(0, scoreUnit.indexOf('/'));
        TimeUnit tu = switch (unit) {
            case "ns" -> TimeUnit.NANOSECONDS;
            case "ms" -> TimeUnit.MILLISECONDS;
            case "s" -> TimeUnit.SECONDS;
            default -> TimeUnit.MICROSECONDS;
        };
        return v * tu.toNanos(1) / 1000.0;
    }

    /** Three significant figures or so: enough to compare, no false precision. */
    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "—";
        }
        double a = Math.abs(v);
        String pattern = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, v);
    }

    /** From the jar's Maven metadata: HikariCP's manifest has no Implementation-Version. */
    private static String hikariVersion() {
        try (InputStream in = PoolBenchmarkReport.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/com.zaxxer/HikariCP/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null) {
                    return "HikariCP " + v;
                }
            }
        } catch (IOException e) {
            // unreadable: the version is then unknown
        }
        return "HikariCP";
    }

    /** The agent jar's SHA-256 prefix, so a run can be tied to a build. */
    private static String agentChecksum() {
        String jar = System.getProperty("poolagent.agentJar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            return "";
        }
        try (InputStream in = Files.newInputStream(Path.of(jar))) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
            }
            return " (sha256 " + HexFormat.of().formatHex(sha.digest()).substring(0, 12) + ")";
        } catch (IOException | NoSuchAlgorithmException e) {
            return "";
        }
    }

    /** CPUs (what nproc counts), CPU model and memory, from the JVM and /proc. */
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

    /** {@code java -version} of the java running this (the forks use the same), first and last lines. */
    static String javaVersion() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        try {
            Process p = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
            List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank()).toList();
            p.waitFor();
            if (lines.isEmpty()) {
                return "java (unknown version)";
            }
            return lines.size() == 1 ? lines.get(0) : lines.get(0) + " (" + lines.get(lines.size() - 1) + ")";
        } catch (IOException e) {
            return "java (unknown version)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "java (unknown version)";
        }
    }

    /** Replaces the text between the markers (markers included); appends the section if they are absent. */
    static void writeSection(Path file, String section) throws IOException {
        String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8)
                : "# Benchmarks\n\nMeasured results, each section rewritten by the script named in it.\n\n";
        int begin = text.indexOf(BEGIN);
        int end = begin < 0 ? -1 : text.indexOf(END, begin);
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

    // ------------------------------------------------------------------------------------------------- JSON

    /** Just enough JSON for JMH's output: objects, arrays, strings, numbers, true, false, null. */
    static final class Json {
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        static Object parse(String text) {
            Json j = new Json(text);
            Object v = j.value();
            j.space();
            if (j.i != text.length()) {
                throw j.error("trailing text");
            }
            return v;
        }

        private Object value() {
            space();
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(i);
            switch (c) {
                case '{':
                    return object();
                case '[':
                    return array();
                case '"':
                    return string();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", null);
                default:
                    return number();
            }
        }

        private Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>();
            i++;
            space();
            if (peek('}')) {
                i++;
                return m;
            }
            for (;;) {
                space();
                String key = string();
                space();
                expect(':');
                m.put(key, value());
                space();
                if (peek(',')) {
                    i++;
                } else {
                    expect('}');
                    return m;
                }
            }
        }

        private List<Object> array() {
            List<Object> l = new ArrayList<>();
            i++;
            space();
            if (peek(']')) {
                i++;
                return l;
            }
            for (;;) {
                l.add(value());
                space();
                if (peek(',')) {
                    i++;
                } else {
                    expect(']');
                    return l;
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'u' -> {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> b.append(e); // \" \\ \/
                    }
                } else {
                    b.append(c);
                }
            }
            throw error("unterminated string");
        }

        private Double number() {
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            if (start == i) {
                throw error("unexpected character '" + s.charAt(i) + "'");
            }
            return Double.valueOf(s.substring(start, i));
        }

        private Object literal(String word, Object v) {
            if (!s.startsWith(word, i)) {
                throw error("expected " + word);
            }
            i += word.length();
            return v;
        }

        private void space() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private boolean peek(char c) {
            return i < s.length() && s.charAt(i) == c;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw error("expected '" + c + "'");
            }
            i++;
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("bad JSON at offset " + i + ": " + what);
        }
    }
}
