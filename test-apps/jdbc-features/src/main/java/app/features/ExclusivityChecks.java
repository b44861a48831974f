package app.features;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A connection belongs to whoever opened it until they close it, and not a moment longer: nobody else's work lands on
 * it meanwhile, and a handle kept after close() reaches nothing.
 */
final class ExclusivityChecks {

    private static final String STALE_SQL = "SET application_name = 'stale'";
    private static final int EXAMPLES = 5;

    private ExclusivityChecks() {
    }

    // ------------------------------------------------------------------------------------------------ stress

    /** Counts and a few examples of what went wrong, shared by the borrowing threads. */
    private static final class Tally {
        final AtomicLong borrows = new AtomicLong();
        final AtomicLong overlaps = new AtomicLong();
        final AtomicLong foreignMarks = new AtomicLong();
        final AtomicLong staleReached = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final Set<Integer> backends = ConcurrentHashMap.newKeySet();
        final List<String> examples = Collections.synchronizedList(new ArrayList<>());

        void problem(AtomicLong counter, String example) {
            counter.incrementAndGet();
            if (examples.size() < EXAMPLES) {
                examples.add(example);
            }
        }
    }

    static void stress(Db db, Report report) throws InterruptedException {
        int threads = positiveEnv("STRESS_THREADS", 16);
        int iterations = positiveEnv("STRESS_ITERATIONS", 200);
        // Backend pid -> the borrower holding it: a second borrower finding it taken is two holders at once.
        Map<Integer, String> owners = new ConcurrentHashMap<>();
        Tally tally = new Tally();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < iterations; i++) {
                    borrowOnce(db, thread + "-" + i, owners, tally);
                }
            }, "borrower-" + t);
            workers.add(w);
            w.start();
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        report.check("exclusivity-stress", o -> {
            long borrows = tally.borrows.get();
            o.require(tally.overlaps.get() == 0, tally.overlaps + " times a backend was held by two borrowers at once");
            o.require(tally.foreignMarks.get() == 0, tally.foreignMarks
                    + " times a borrower found another's mark in its session");
            o.require(tally.staleReached.get() == 0, tally.staleReached
                    + " statements used after their connection was closed still reached a server");
            o.require(tally.errors.get() == 0, tally.errors + " borrows failed");
            o.require(borrows == (long) threads * iterations, "only " + borrows + " of " + threads * iterations
                    + " borrows happened");
            if (db.expectPooled()) {
                o.require(tally.backends.size() < borrows, "no backend served two borrows: nothing was pooled,"
                        + " so the check proves nothing");
            }
            if (!tally.examples.isEmpty()) {
                o.require(false, "e.g. " + String.join(" | ", tally.examples));
            }
            o.note(borrows + " borrows by " + threads + " threads x " + iterations + " on " + tally.backends.size()
                    + " backends; 0 overlaps, 0 foreign marks, 0 stale statements reached a server");
        });
    }

    private static void borrowOnce(Db db, String me, Map<Integer, String> owners, Tally tally) {
        PreparedStatement kept = null;
        try {
            Connection c = db.connect();
            int pid = -1;
            boolean owned = false;
            try {
                kept = c.prepareStatement("SELECT pg_backend_pid(), set_config('app.borrower', ?, false)");
                kept.setString(1, me);
                try (ResultSet rs = kept.executeQuery()) {
                    rs.next();
                    pid = rs.getInt(1);
                }
                tally.borrows.incrementAndGet();
                tally.backends.add(pid);
                String other = owners.putIfAbsent(pid, me);
                owned = other == null;
                if (!owned) {
                    tally.problem(tally.overlaps, "backend " + pid + " handed to " + me + " while " + other
                            + " held it");
                }
                pause();
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT current_setting('app.borrower'), pg_backend_pid()")) {
                    rs.next();
                    String mark = rs.getString(1);
                    if (!me.equals(mark) || rs.getInt(2) != pid) {
                        tally.problem(tally.foreignMarks, me + " on backend " + pid + " found mark '" + mark
                                + "' on backend " + rs.getInt(2));
                    }
                }
            } finally {
                // Released before close(): once closed, the pool may hand the backend to someone else at once.
                if (owned) {
                    owners.remove(pid, me);
                }
                c.close();
            }
        } catch (SQLException | RuntimeException e) {
            tally.problem(tally.errors, me + ": " + Report.describe(e));
            return;
        }
        // A statement kept past close(): if it ran, it would overwrite the mark of whoever holds the backend now.
        try {
            kept.setString(1, "stale-" + me);
            kept.executeQuery().close();
            tally.problem(tally.staleReached, me + "'s statement ran after close()");
        } catch (SQLException expected) {
            // refused, as it must be
        }
    }

    /** Varies the interleavings: sometimes hold on, sometimes give others a turn, sometimes neither. */
    private static void pause() {
        switch (ThreadLocalRandom.current().nextInt(3)) {
            case 0 -> Thread.yield();
            case 1 -> {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            default -> {
            }
        }
    }

    private static int positiveEnv(String name, int dflt) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        int n = Integer.parseInt(v.trim());
        if (n < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + v);
        }
        return n;
    }

    // ------------------------------------------------------------------------------------------------ stale-handle

    /** One way of using borrower A's connection after A closed it. */
    @FunctionalInterface
    private interface StaleUse {
        void run() throws SQLException;
    }

    static void staleHandle(Db db, Report report) throws SQLException {
        Connection a = db.connect();
        int aPid = Db.pid(a);
        Statement fromBefore = a.createStatement();
        PreparedStatement preparedBefore = a.prepareStatement(STALE_SQL);
        a.close();

        try (Connection b = db.connect()) {
            int bPid = Db.pid(b);
            String sameBackend = bPid == aPid ? null : StateChecks.differentBackend(aPid, bPid);
            Db.execute(b, "SET application_name = 'b'");
            staleUse(report, "stale-handle-create-statement", "A.createStatement()", b, sameBackend, db, () -> {
                try (Statement s = a.createStatement()) {
                    s.execute(STALE_SQL);
                }
            });
            staleUse(report, "stale-handle-prepare-statement", "A.prepareStatement(...)", b, sameBackend, db, () -> {
                try (PreparedStatement ps = a.prepareStatement(STALE_SQL)) {
                    ps.execute();
                }
            });
            staleUse(report, "stale-handle-statement-from-before", "a Statement A created before close()", b,
                    sameBackend, db, () -> fromBefore.execute(STALE_SQL));
            staleUse(report, "stale-handle-prepared-from-before", "a PreparedStatement A prepared before close()",
                    b, sameBackend, db, preparedBefore::execute);
            staleUse(report, "stale-handle-client-info", "A.setClientInfo(\"ApplicationName\", \"stale\")", b,
                    sameBackend, db, () -> a.setClientInfo("ApplicationName", "stale"));
        }
    }

    private static void staleUse(Report report, String line, String what, Connection b, String sameBackend, Db db,
                                 StaleUse use) {
        report.check(line, o -> {
            if (sameBackend != null && db.expectPooled()) {
                o.require(false, sameBackend);
                return;
            }
            try {
                use.run();
                o.require(false, what + " after A.close() did not throw");
            } catch (SQLException expected) {
                // refused, as it must be
            }
            String name = Db.query(b, "SHOW application_name");
            o.equal("the next borrower's application_name after " + what, "b", name);
            if (!"b".equals(name)) {
                Db.execute(b, "SET application_name = 'b'"); // so the next line judges its own stale use only
            }
        });
    }
}
