package app.features;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ordinary JDBC program, configured from {@code DATABASE_URL}, that opens a {@code DriverManager} connection per
 * unit of work and checks that what pgjdbc offers behaves as documented. It knows nothing of the agent; run under it,
 * its checks are the user's view of a pooled connection.
 *
 * <pre>
 * java -jar jdbc-features.jar [check ...]
 *   checks: state-reset reset-query leads-back pg-interfaces copy listen-notify exclusivity-stress stale-handle
 *   (none given: all but reset-query, which only means something when the pool is configured with a reset_query)
 * prints one line per check, "PASS &lt;name&gt;[: detail]" or "FAIL &lt;name&gt;: &lt;detail&gt;", then
 * "DONE passed=&lt;n&gt; failed=&lt;m&gt;"; exit 0, or 1 on a crash outside the checks, 2 on bad usage.
 *
 * environment:
 *   DATABASE_URL       postgresql://user:password@host:port/db[?...] (the query is not read)
 *   EXPECT_POOLED=true the connections are pooled: successive borrows may, and with one connection must, share a
 *                      server backend. Unset, checks that rely on that are skipped or relaxed.
 *   STRESS_THREADS, STRESS_ITERATIONS   size of exclusivity-stress (default 16 x 200)
 * </pre>
 *
 * Some checks need one connection at a time (state-reset, reset-query, leads-back, stale-handle: the next borrower
 * must get the same backend) and some at least two (listen-notify, exclusivity-stress), so a pooled run picks the
 * checks that fit its connection_limit.
 */
public final class JdbcFeaturesApp {

    /** A group of checks; it reports its own lines and may throw, which fails the group as a whole. */
    @FunctionalInterface
    interface Group {
        void run(Db db, Report report) throws Exception;
    }

    static final Map<String, Group> GROUPS = new LinkedHashMap<>();

    static {
        GROUPS.put("pg-interfaces", DriverInterfaceChecks::pgInterfaces);
        GROUPS.put("copy", DriverInterfaceChecks::copy);
        GROUPS.put("listen-notify", DriverInterfaceChecks::listenNotify);
        GROUPS.put("leads-back", LeadsBackChecks::leadsBack);
        GROUPS.put("stale-handle", ExclusivityChecks::staleHandle);
        GROUPS.put("exclusivity-stress", ExclusivityChecks::stress);
        // Last: it leaves the session changed wherever a pool fails to reset it, which would disturb later checks.
        GROUPS.put("state-reset", StateChecks::stateReset);
        GROUPS.put("reset-query", StateChecks::resetQuery);
    }

    private JdbcFeaturesApp() {
    }

    public static void main(String[] args) {
        List<String> names = new ArrayList<>();
        if (args.length == 0) {
            GROUPS.keySet().stream().filter(n -> !n.equals("reset-query")).forEach(names::add);
        } else {
            for (String a : args) {
                if (!GROUPS.containsKey(a)) {
                    System.err.println("unknown check '" + a + "'; known: " + String.join(" ", GROUPS.keySet()));
                    System.exit(2);
                }
                names.add(a);
            }
        }
        Db db;
        try {
            db = Db.fromDatabaseUrl(System.getenv("DATABASE_URL"),
                    "true".equalsIgnoreCase(System.getenv("EXPECT_POOLED")));
        } catch (IllegalArgumentException e) {
            System.err.println("bad DATABASE_URL: " + e.getMessage());
            System.exit(2);
            return;
        }
        Report report = new Report();
        try {
            for (String name : names) {
                try {
                    GROUPS.get(name).run(db, report);
                } catch (Exception | AssertionError e) {
                    // The group could not finish; its own lines may be missing, so this one says why.
                    report.fail(name, Report.describe(e));
                    e.printStackTrace();
                }
            }
        } catch (Throwable t) {
            t.printStackTrace();
            System.out.flush();
            System.exit(1);
        }
        System.out.println("DONE passed=" + report.passed() + " failed=" + report.failed());
        System.out.flush();
        // Exit explicitly: a driver or pool thread left running must not keep the JVM up.
        System.exit(0);
    }
}
