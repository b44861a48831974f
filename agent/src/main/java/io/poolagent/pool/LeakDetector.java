package io.poolagent.pool;

import io.poolagent.log.AgentLog;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Finds the connections an application holds too long or never gives back, and says where it took them.
 *
 * <ul>
 *   <li>Held longer than leak_detection_threshold: one WARN with the borrowing thread, the hold time and the stack of
 *       the acquisition (the application's frames; the agent's, the JDK's and the driver's left out), and one INFO
 *       when it finally comes back.</li>
 *   <li>Dropped without close(): the handle is only weakly referenced, so once it is garbage the connection is
 *       reported, rolled back and returned to the pool. A starved pool asks the JVM for a collection (at most every
 *       {@link #GC_INTERVAL_NANOS}) so that dropped handles are found while borrowers still wait.</li>
 *   <li>Held longer than abandon_timeout (off by default): the physical connection is aborted, its slot freed, and
 *       the holder's next call fails with an SQLException that says so.</li>
 * </ul>
 * Recording where a connection is taken costs a {@code new Throwable()}, about a microsecond. So a pool records one
 * borrow in {@link #SAMPLE} until it reports its first leak, and every borrow from then on: a pool that never leaks
 * pays little, and one that does has every later report traced. Handles are watched only while leak detection or
 * abandon_timeout is on; everything else runs on the housekeeper.
 */
final class LeakDetector {

    static final long GC_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Until its first leak a pool records one borrow in this many. */
    static final int SAMPLE = 16;
    private static final int REPORT_FRAMES = 20;

    private final ConnectionPool pool;
    private final long thresholdNanos;
    private final long abandonNanos;
    /** Frames of these packages are infrastructure, not the application's. */
    private final String[] hidden;
    private final AtomicLong leaks = new AtomicLong();
    /** Set at the first leak: from then on every borrow records where it was taken. */
    private volatile boolean recordAll;
    private long lastGcRequestNanos = System.nanoTime() - GC_INTERVAL_NANOS;

    LeakDetector(ConnectionPool pool, long thresholdNanos, long abandonNanos, String driverPackage) {
        this.pool = pool;
        this.thresholdNanos = thresholdNanos;
        this.abandonNanos = abandonNanos;
        this.hidden = driverPackage == null || driverPackage.equals(".")
                ? new String[] {"io.poolagent.", "java.", "javax.", "jdk.", "sun.", "com.sun."}
                : new String[] {"io.poolagent.", "java.", "javax.", "jdk.", "sun.", "com.sun.", driverPackage};
    }

    /** Whether borrowed handles are watched at all: for leak reports, dropped handles, or abandon_timeout. */
    boolean watches() {
        return thresholdNanos > 0 || abandonNanos > 0;
    }

    /** The acquisition stack for a new borrow, or null when detection is off (then borrows cost nothing extra). */
    Throwable capture() {
        if (thresholdNanos == 0 || (!recordAll && ThreadLocalRandom.current().nextInt(SAMPLE) != 0)) {
            return null;
        }
        return new Throwable("connection acquired here");
    }

    /** Counts a leak; the first one switches the pool to recording every borrow. */
    private void leaked() {
        leaks.incrementAndGet();
        if (thresholdNanos > 0 && !recordAll) {
            recordAll = true;
            AgentLog.info("pool " + pool.name() + " leaked a connection: recording where every connection is taken"
                    + " from now on (until now one borrow in " + SAMPLE + ")");
        }
    }

    long leakCount() {
        return leaks.get();
    }

    /** One pass over the borrowed connections, from the housekeeper. */
    void scan(PoolEntry[] entries, long now, boolean starved) {
        boolean oldBorrow = false;
        for (PoolEntry e : entries) {
            WeakReference<PooledConnection> ref = e.holder();
            if (ref == null || ref == PoolEntry.UNWATCHED || e.state() != PoolEntry.IN_USE) {
                continue;
            }
            long held = now - e.borrowedNanos;
            PooledConnection handle = ref.get();
            if (handle == null) {
                if (e.release(ref)) {
                    report(e, "a connection of " + pool.name() + " was never closed: its handle became garbage "
                            + seconds(held) + " after thread " + threadName(e) + " took it; rolled back and returned"
                            + " to the pool. " + where(e));
                    leaked();
                    pool.giveBack(e, e.knownAttributes());
                }
                continue;
            }
            oldBorrow |= held > TimeUnit.SECONDS.toNanos(1);
            if (thresholdNanos > 0 && held > thresholdNanos && !e.reportedLeak) {
                e.reportedLeak = true;
                report(e, "possible connection leak: a connection of " + pool.name() + " has been held for "
                        + seconds(held) + " by thread " + threadName(e) + " (leak_detection_threshold="
                        + seconds(thresholdNanos) + "). " + where(e));
                leaked();
            }
            if (abandonNanos > 0 && held > abandonNanos && e.release(ref)) {
                report(e, "abandon_timeout: took back a connection of " + pool.name() + " held for "
                        + seconds(held) + " by thread " + threadName(e) + "; its holder's next call will fail. "
                        + where(e));
                handle.abandoned("pool-agent: this connection was taken back after being held for " + seconds(held)
                        + " (abandon_timeout=" + seconds(abandonNanos) + ")");
                pool.abort(e);
            }
        }
        if (starved && oldBorrow && now - lastGcRequestNanos >= GC_INTERVAL_NANOS) {
            // Borrowers are waiting and connections have been out for a while: some may be held by handles the
            // application dropped, which only a collection reveals.
            lastGcRequestNanos = now;
            System.gc();
        }
    }

    /** Logs a leak report and hands it to telemetry with the trace that took the connection. */
    private void report(PoolEntry e, String message) {
        AgentLog.warn(message);
        try {
            pool.events().leakReported(e.traceContext, message);
        } catch (RuntimeException ignored) {
            // telemetry must never break leak detection
        }
    }

    /** Called when a borrow that was reported as held too long ends. */
    void returnedLate(PoolEntry e, long now) {
        AgentLog.info("the connection of " + pool.name() + " reported as a possible leak was returned by thread "
                + threadName(e) + " after " + seconds(now - e.borrowedNanos));
    }

    /** The holders, longest first, for a pool_timeout message: thread, hold time, where it was taken. */
    String holders(PoolEntry[] entries, long now, int max) {
        List<PoolEntry> held = new ArrayList<>();
        for (PoolEntry e : entries) {
            if (e.state() == PoolEntry.IN_USE && e.holder() != null) {
                held.add(e);
            }
        }
        if (held.isEmpty()) {
            return "";
        }
        held.sort(Comparator.comparingLong(e -> e.borrowedNanos));
        StringBuilder sb = new StringBuilder(" Holders, longest first:");
        for (int i = 0; i < Math.min(max, held.size()); i++) {
            PoolEntry e = held.get(i);
            sb.append(i == 0 ? " " : "; ").append("thread ").append(threadName(e)).append(" for ")
                    .append(seconds(now - e.borrowedNanos));
            boolean recorded = e.acquisition != null;
            List<String> frames = recorded ? applicationFrames(e.acquisition.getStackTrace())
                    : currentFrames(e);
            for (int f = 0; f < Math.min(3, frames.size()); f++) {
                sb.append(f == 0 ? (recorded ? " taken at " : " now at ") : " < ").append(frames.get(f));
            }
        }
        if (held.size() > max) {
            sb.append("; and ").append(held.size() - max).append(" more");
        }
        return sb.append('.').toString();
    }

    /** Where a connection was taken, for a report; or, if that was not recorded, where its holder is now. */
    private String where(PoolEntry e) {
        List<String> frames;
        String heading;
        if (e.acquisition != null) {
            frames = applicationFrames(e.acquisition.getStackTrace());
            heading = "Acquired at:";
        } else {
            frames = currentFrames(e);
            if (frames.isEmpty()) {
                return thresholdNanos == 0 ? "(set leak_detection_threshold to record where connections are taken)"
                        : "(where it was taken was not recorded: until its first leak the pool records one borrow"
                        + " in " + SAMPLE + "; later reports show it)";
            }
            heading = "Not recorded where it was taken; its holder is now at:";
        }
        StringBuilder sb = new StringBuilder(heading);
        for (int i = 0; i < Math.min(REPORT_FRAMES, frames.size()); i++) {
            sb.append("\n\tat ").append(frames.get(i));
        }
        return sb.toString();
    }

    /** The application's frames of the holder thread right now, while it still holds the connection. */
    private List<String> currentFrames(PoolEntry e) {
        Thread t = e.borrower;
        if (t == null || !t.isAlive() || e.holder() == null) {
            return new ArrayList<>();
        }
        return applicationFrames(t.getStackTrace());
    }

    /**
     * The application's frames of a stack, as {@code class.method(File.java:line)}: the agent's, the JDK's, the
     * driver's and generated lambda frames left out. Formatted here because a live thread's frames would otherwise
     * print with their class loader's name.
     */
    List<String> applicationFrames(StackTraceElement[] stack) {
        List<String> frames = new ArrayList<>();
        for (StackTraceElement frame : stack) {
            String cls = frame.getClassName();
            if (!isHidden(cls) && !cls.contains("$$Lambda")) {
                frames.add(cls + "." + frame.getMethodName() + "(" + (frame.getFileName() == null ? "Unknown Source"
                        : frame.getFileName() + (frame.getLineNumber() >= 0 ? ":" + frame.getLineNumber() : "")) + ")");
            }
        }
        return frames;
    }

    private boolean isHidden(String className) {
        for (String prefix : hidden) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static String threadName(PoolEntry e) {
        Thread t = e.borrower;
        return t == null ? "?" : "\"" + t.getName() + "\"";
    }

    static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1fs", nanos / 1e9);
    }
}
