package io.poolagent.harness;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The problem and the fix, side by side, on a throwaway PostgreSQL with max_connections=100. Run by
 * {@code scripts/demo}. Two scenarios, each run without and then with the agent ({@code connection_limit=15}):
 * <ol>
 *   <li><b>A burst that stalls</b>: 150 requests at once, all waiting behind a lock the demo holds (as requests do
 *       behind a long migration or batch job) until the app's connections stop piling up. Without the agent they
 *       fill the server and the rest fail with SQLSTATE 53300 (too many clients); with it none fail and the server
 *       never sees more than 15 of the app's connections.</li>
 *   <li><b>Many short requests</b> (150 clients x 4 requests of 50 ms): the cost of a new connection per request
 *       against reusing pooled ones, in requests per second.</li>
 * </ol>
 * Why the burst waits on a lock: 53300 needs more simultaneous backends than the server allows, and a small VM that
 * forks backends slowly (the 2-core development VM accepts 10 to 35 new connections a second) finishes short
 * requests before enough others arrive; stalled requests pile up on any machine (see {@link BlockedBurst}).
 *
 * <p>Options: {@code --clients 150 --requests 4 --hold-ms 50 --limit 15 --max-connections 100 --pool-timeout 120}.
 * Exits 0 when the runs show what they claim, 1 otherwise.
 */
public final class Demo {

    private Demo() {
    }

    /** One app run: the load result and the most app connections the server saw, or why it could not run. */
    record Run(String label, LoadResult result, int peak, String error) {
        boolean ran() {
            return error == null;
        }
    }

    public static void main(String[] args) throws SQLException {
        Options o = Options.parse(args);
        boolean shown;
        try (TestDatabase db = TestDatabase.start(o.maxConnections);
             Connection admin = db.openAdmin();
             ConnectionSampler sampler = new ConnectionSampler(admin, db.appUser())) {
            System.out.println("database: " + db.describe());
            String databaseUrl = db.databaseUrl(
                    "connection_limit=" + o.limit + "&pool_timeout=" + o.poolTimeout + "&connect_timeout=10");
            String withLabel = "with agent (connection_limit=" + o.limit + ")";

            System.out.printf(Locale.ROOT, "%n### 1. A burst that stalls: %d concurrent requests, all waiting behind a"
                    + " lock until the app's connections stop piling up%n%n", o.clients);
            Run burstWithout = burst("without agent", false, databaseUrl, db, sampler, o.clients);
            Run burstWith = burst(withLabel, true, databaseUrl, db, sampler, o.clients);
            System.out.println();
            printTable(List.of(burstWithout, burstWith));
            System.out.println();
            shown = conclude(burstWithout, burstWith, o);

            System.out.printf(Locale.ROOT, "%n### 2. Short requests: %d concurrent clients x %d requests of GET"
                    + " /work?hold_ms=%d%n%n", o.clients, o.requests, o.holdMs);
            Run shortWithout = run("without agent", false, databaseUrl, sampler, o.clients, o.requests, o.holdMs);
            Run shortWith = run(withLabel, true, databaseUrl, sampler, o.clients, o.requests, o.holdMs);
            System.out.println();
            printTable(List.of(shortWithout, shortWith));
            System.out.println();
            if (shortWithout.ran() && shortWith.ran() && shortWithout.result().throughput() > 0) {
                System.out.printf(Locale.ROOT, "Throughput: %.0f req/s without the agent, %.0f req/s with it (%.1fx).%n",
                        shortWithout.result().throughput(), shortWith.result().throughput(),
                        shortWith.result().throughput() / shortWithout.result().throughput());
            }
            shown &= shortWith.ran() && shortWith.result().failed() == 0 && shortWith.peak() <= o.limit;
        }
        System.exit(shown ? 0 : 1);
    }

    private static Run burst(String label, boolean agent, String databaseUrl, TestDatabase db,
                             ConnectionSampler sampler, int clients) {
        System.out.println("== " + label);
        sampler.awaitAtMost(0, Duration.ofSeconds(30));
        AppUnderTest.Builder builder = AppUnderTest.connectPerRequest().databaseUrl(databaseUrl);
        if (agent) {
            builder.withAgent();
        }
        try (AppUnderTest app = builder.start()) {
            BlockedBurst.Result r = BlockedBurst.run(db, app, sampler, clients);
            System.out.println("   " + r.load().summary());
            System.out.println("   peak app connections on the server: " + r.piledUp());
            for (String failure : r.load().sampleFailures(2)) {
                System.out.println("   e.g. " + failure);
            }
            return new Run(label, r.load(), r.piledUp(), null);
        } catch (RuntimeException | SQLException | InterruptedException e) {
            System.out.println("   could not run: " + e.getMessage());
            return new Run(label, null, -1, firstLine(e.getMessage()));
        }
    }

    private static Run run(String label, boolean agent, String databaseUrl, ConnectionSampler sampler,
                           int clients, int requests, int holdMs) {
        System.out.println("== " + label);
        // Each run starts from a server holding none of the app's connections.
        if (!sampler.awaitAtMost(0, Duration.ofSeconds(30))) {
            System.out.println("   (warning: " + sampler.last() + " app connections still open before the run)");
        }
        AppUnderTest.Builder builder = AppUnderTest.connectPerRequest().databaseUrl(databaseUrl);
        if (agent) {
            builder.withAgent();
        }
        try (AppUnderTest app = builder.start()) {
            System.out.println("   app listening at " + app.baseUri() + (agent ? " (pid " + app.jvm().pid()
                    + ", -javaagent:" + Artifacts.agentJar() + ")" : " (pid " + app.jvm().pid() + ")"));
            // One request first, so both runs measure a started app rather than class loading.
            AppUnderTest.Response warm = app.get("/work?hold_ms=0");
            if (!warm.ok()) {
                System.out.println("   warm-up request answered " + warm.status() + " " + warm.body());
            }
            sampler.reset();
            LoadResult result = new LoadRunner(Duration.ofMinutes(3)).run(app.uri("/work?hold_ms=" + holdMs), clients, requests);
            int peak = sampler.peak();
            System.out.println("   " + result.summary());
            System.out.println("   peak app connections on the server: " + peak
                    + " (" + sampler.samples() + " samples)");
            for (String failure : result.sampleFailures(3)) {
                System.out.println("   e.g. " + failure);
            }
            return new Run(label, result, peak, null);
        } catch (RuntimeException e) {
            System.out.println("   could not run: " + e.getMessage());
            return new Run(label, null, -1, firstLine(e.getMessage()));
        }
    }

    private static void printTable(List<Run> runs) {
        String format = "%-32s %9s %16s %12s %22s%n";
        System.out.printf(Locale.ROOT, format, "", "requests", "failed (53300)", "req/s", "peak app connections");
        for (Run r : runs) {
            if (!r.ran()) {
                System.out.printf(Locale.ROOT, "%-32s %s%n", r.label(), "did not run: " + r.error());
                continue;
            }
            LoadResult l = r.result();
            System.out.printf(Locale.ROOT, format, r.label(), l.total(),
                    l.failed() + " (" + l.failedWith("53300") + ")",
                    String.format(Locale.ROOT, "%.0f", l.throughput()), r.peak());
        }
    }

    /** Prints the one-line conclusion; true when the runs show the problem and the fix. */
    private static boolean conclude(Run without, Run with, Options o) {
        boolean problemShown = without.ran() && without.result().failedWith("53300") > 0;
        boolean fixShown = with.ran() && with.result().failed() == 0 && with.peak() <= o.limit;
        String problem = !without.ran() ? "the run without the agent did not complete"
                : problemShown ? String.format(Locale.ROOT,
                        "without the agent %d of %d requests failed with SQLSTATE 53300 (too many clients)",
                        without.result().failedWith("53300"), without.result().total())
                : String.format(Locale.ROOT, "without the agent no request failed with 53300 this time (%d failed)",
                        without.result().failed());
        String fix = !with.ran() ? "the run with the agent did not complete (" + with.error() + ")"
                : fixShown ? String.format(Locale.ROOT,
                        "with the agent all %d succeeded and the server never saw more than %d of the app's"
                                + " connections (limit %d)", with.result().total(), with.peak(), o.limit)
                : String.format(Locale.ROOT,
                        "with the agent %d of %d failed and the app reached %d server connections (limit %d)",
                        with.result().failed(), with.result().total(), with.peak(), o.limit);
        System.out.println("Conclusion: " + problem + "; " + fix + ".");
        if (without.ran() && !problemShown) {
            System.out.printf(Locale.ROOT, "Hint: the app never held more than %d server connections at once"
                    + " (max_connections=%d); is max_connections lower than --clients?%n", without.peak(), o.maxConnections);
        }
        return problemShown && fixShown;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static final class Options {
        int clients = 150;
        int requests = 4;
        int holdMs = 50;
        int limit = 15;
        int maxConnections = 100;
        int poolTimeout = 120;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + args[i]);
                }
                int value = Integer.parseInt(args[i + 1]);
                switch (args[i++]) {
                    case "--clients" -> o.clients = value;
                    case "--requests" -> o.requests = value;
                    case "--hold-ms" -> o.holdMs = value;
                    case "--limit" -> o.limit = value;
                    case "--max-connections" -> o.maxConnections = value;
                    case "--pool-timeout" -> o.poolTimeout = value;
                    default -> throw new IllegalArgumentException("unknown option " + args[i - 1]
                            + " (expected --clients, --requests, --hold-ms, --limit, --max-connections, --pool-timeout)");
                }
            }
            return o;
        }
    }
}
