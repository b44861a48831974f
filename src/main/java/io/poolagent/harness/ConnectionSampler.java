package io.poolagent.harness;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Counts, from the server's side, how many connections a role holds: a background thread runs
 * {@code SELECT count(*) FROM pg_stat_activity WHERE usename = ?} every ~10 ms on a superuser connection and keeps the
 * peak. The connection stays the caller's: {@link #close()} stops sampling but does not close it.
 *
 * <p>The connection is put in autocommit mode: pg_stat_activity is a per-transaction snapshot, so sampling inside one
 * transaction would read the same numbers forever.
 */
public final class ConnectionSampler implements AutoCloseable {

    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(10);

    private final Connection connection;
    private final String role;
    private final Duration interval;
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicInteger last = new AtomicInteger();
    private final AtomicInteger samples = new AtomicInteger();
    private final AtomicReference<SQLException> error = new AtomicReference<>();
    private final CountDownLatch firstSample = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    public ConnectionSampler(Connection superuser, String role) {
        this(superuser, role, DEFAULT_INTERVAL);
    }

    public ConnectionSampler(Connection superuser, String role, Duration interval) {
        this.connection = superuser;
        this.role = role;
        this.interval = interval;
        try {
            superuser.setAutoCommit(true);
        } catch (SQLException e) {
            throw new IllegalStateException("sampler connection unusable: " + e.getMessage(), e);
        }
        thread = new Thread(this::sampleLoop, "connection-sampler-" + role);
        thread.setDaemon(true);
        thread.start();
        awaitFirstSample();
    }

    private void sampleLoop() {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE usename = ?")) {
            ps.setString(1, role);
            while (running) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    int n = rs.getInt(1);
                    last.set(n);
                    peak.accumulateAndGet(n, Math::max);
                    samples.incrementAndGet();
                }
                firstSample.countDown();
                TimeUnit.NANOSECONDS.sleep(interval.toNanos());
            }
        } catch (SQLException e) {
            if (running) {
                error.set(e);
            }
        } catch (InterruptedException e) {
            // close() asked us to stop
        } finally {
            firstSample.countDown();
        }
    }

    private void awaitFirstSample() {
        try {
            firstSample.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throwIfFailed();
    }

    /** The most connections of the role seen in any sample since start or the last {@link #reset()}. */
    public int peak() {
        throwIfFailed();
        return peak.get();
    }

    /** The most recent sample. */
    public int last() {
        throwIfFailed();
        return last.get();
    }

    /** Samples taken since start or the last {@link #reset()}. */
    public int samples() {
        return samples.get();
    }

    /** Starts a new measurement window: peak and sample count go back to zero. */
    public void reset() {
        peak.set(0);
        samples.set(0);
    }

    /**
     * Waits until the role holds at most {@code max} connections (e.g. 0 once an app has exited and its backends are
     * gone), returning whether it happened within the timeout.
     */
    public boolean awaitAtMost(int max, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = samples.get();
        while (System.nanoTime() < deadline) {
            throwIfFailed();
            // only a sample taken after this call started counts
            if (samples.get() > seen && last.get() <= max) {
                return true;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(interval.toNanos());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** The error that stopped sampling, if any. */
    public SQLException error() {
        return error.get();
    }

    private void throwIfFailed() {
        SQLException e = error.get();
        if (e != null) {
            throw new IllegalStateException("connection sampling for " + role + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
