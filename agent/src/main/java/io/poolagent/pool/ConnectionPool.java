package io.poolagent.pool;

import io.poolagent.config.PoolSettings;
import io.poolagent.log.AgentLog;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded pool of physical connections to one target.
 *
 * <p>At most {@code connection_limit} physical connections exist at once, counting those being opened. Borrowers
 * beyond that queue in FIFO order and are handed connections directly as they come back, so a newcomer never
 * overtakes a waiter. The lock guards only the queues and counters: no I/O happens under it, and waiting parks
 * (no monitor is held), so virtual threads never pin.
 *
 * <p>Health: a connection idle for more than {@link #VALIDATION_WINDOW_NANOS} is validated before it is handed out,
 * one that saw a fatal error is closed on return, and one past its lifetime is retired when idle, never while
 * borrowed. After a failed connect, further connects wait out a growing back-off, so a database that refuses us
 * is not hammered.
 */
public final class ConnectionPool {

    /** Idle for less than this, a connection is trusted without a round trip (HikariCP uses the same 500 ms). */
    static final long VALIDATION_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int VALIDATION_TIMEOUT_SECONDS = 5;

    private final String name;
    private final PoolSettings settings;
    private final ConnectionFactory factory;
    private final int limit;
    private final String resetQuery;

    private final ReentrantLock lock = new ReentrantLock();
    /** Most recently returned first: warm connections are reused, cold ones age out at the tail. */
    private final ArrayDeque<PoolEntry> idle = new ArrayDeque<>();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    /** Physical connections open or being opened. */
    private int total;
    private int opening;
    private boolean closed;
    /** Consecutive failed connects, and when the next attempt may start. */
    private int openFailures;
    private long nextOpenNanos = System.nanoTime();

    /** The last failure to open a connection, until an open succeeds: it tells "unreachable" from "exhausted". */
    private volatile SQLException lastOpenFailure;
    private volatile long lastOpenFailureNanos;

    /** A queued borrower; {@code entry} is set by whoever hands it a connection. */
    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        volatile PoolEntry entry;
    }

    ConnectionPool(String name, PoolSettings settings, ConnectionFactory factory) {
        this.name = name;
        this.settings = settings;
        this.factory = factory;
        this.limit = settings.connectionLimit();
        this.resetQuery = settings.resetQuery();
    }

    public String name() {
        return name;
    }

    PoolSettings settings() {
        return settings;
    }

    /** A logical connection backed by a pooled physical one; closing it gives the physical one back. */
    public Connection borrow() throws SQLException {
        final long start = System.nanoTime();
        for (;;) {
            PoolEntry entry = acquire(start);
            long now = System.nanoTime();
            if (now - entry.retireAtNanos >= 0
                    || (now - entry.lastReturnedNanos > VALIDATION_WINDOW_NANOS && !isAlive(entry))) {
                evict(entry); // replaced within the same pool_timeout
                continue;
            }
            return ConnectionHandles.create(this, entry);
        }
    }

    private static boolean isAlive(PoolEntry entry) {
        try {
            return entry.physical.isValid(VALIDATION_TIMEOUT_SECONDS);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    PoolEntry acquire(final long start) throws SQLException {
        final long timeout = settings.poolTimeoutNanos();
        Waiter me = null;
        for (;;) {
            boolean open = false;
            long backoffUntil = 0;
            lock.lock();
            try {
                if (me != null && me.entry != null) {
                    return me.entry;
                }
                if (waiters.isEmpty() || waiters.peekFirst() == me) {
                    PoolEntry entry = idle.pollFirst();
                    if (entry != null) {
                        leaveQueue(me);
                        return entry;
                    }
                    if (total < limit && !closed) {
                        long now = System.nanoTime();
                        if (now - nextOpenNanos >= 0) {
                            total++;
                            opening++;
                            open = true;
                            leaveQueue(me);
                            me = null;
                        } else {
                            backoffUntil = nextOpenNanos;
                        }
                    }
                }
                if (!open && me == null) {
                    me = new Waiter();
                    waiters.addLast(me);
                }
            } finally {
                lock.unlock();
            }

            if (open) {
                try {
                    return openEntry();
                } catch (SQLException e) {
                    openFailed(e);
                    if (timeout != 0 && System.nanoTime() - start >= timeout) {
                        throw timedOut(start, e);
                    }
                    continue; // wait out the back-off in the queue, then try again
                } catch (RuntimeException | Error e) {
                    openFailed(null);
                    throw e;
                }
            }

            long now = System.nanoTime();
            long remaining = timeout == 0 ? Long.MAX_VALUE : timeout - (now - start);
            if (remaining <= 0 || Thread.interrupted()) {
                boolean interrupted = remaining > 0;
                lock.lock();
                try {
                    if (me.entry != null) {
                        if (interrupted) {
                            Thread.currentThread().interrupt();
                        }
                        return me.entry;
                    }
                    waiters.remove(me);
                    wakeHead();
                } finally {
                    lock.unlock();
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("pool-agent: interrupted while waiting for a connection to " + name, "08001");
                }
                throw timedOut(start, null);
            }
            long park = backoffUntil != 0 ? Math.min(remaining, Math.max(backoffUntil - now, 1)) : remaining;
            if (park == Long.MAX_VALUE) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, park);
            }
            if (me.entry != null) {
                return me.entry;
            }
        }
    }

    /** Called under the lock when a borrower stops waiting: the next in line may now be servable. */
    private void leaveQueue(Waiter me) {
        if (me != null) {
            waiters.remove(me);
            wakeHead();
        }
    }

    /** Under the lock: wake the first waiter if it could now take an idle connection or open one. */
    private void wakeHead() {
        Waiter head = waiters.peekFirst();
        if (head != null && (!idle.isEmpty() || (total < limit && !closed))) {
            LockSupport.unpark(head.thread);
        }
    }

    private PoolEntry openEntry() throws SQLException {
        Connection physical = factory.open();
        if (physical == null) {
            throw new SQLException("pool-agent: the driver returned no connection for " + name, "08001");
        }
        boolean autoCommit;
        try {
            autoCommit = physical.getAutoCommit();
        } catch (SQLException e) {
            closeQuietly(physical);
            throw e;
        }
        long now = System.nanoTime();
        lastOpenFailure = null;
        lock.lock();
        try {
            opening--;
            openFailures = 0;
        } finally {
            lock.unlock();
        }
        return new PoolEntry(physical, autoCommit, now, retireAt(now));
    }

    /** Lifetimes get up to 2.5% jitter, so connections opened together do not all retire together. */
    private long retireAt(long now) {
        long lifetime = settings.maxLifetimeNanos();
        if (lifetime == 0) {
            return now + Long.MAX_VALUE / 2;
        }
        return now + lifetime - ThreadLocalRandom.current().nextLong(lifetime / 40 + 1);
    }

    private void openFailed(SQLException failure) {
        if (failure != null) {
            lastOpenFailureNanos = System.nanoTime();
            lastOpenFailure = failure;
        }
        lock.lock();
        try {
            total--;
            opening--;
            openFailures++;
            long backoff = Math.min(FIRST_BACKOFF_NANOS << Math.min(openFailures - 1, 20), MAX_BACKOFF_NANOS);
            nextOpenNanos = System.nanoTime() + backoff;
            wakeHead();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes a connection back from its borrower: rolls back what it left uncommitted (never commits it), restores
     * auto-commit and whatever else the borrower changed, runs reset_query, then hands it to the first waiter or
     * parks it idle. A broken connection, or one that cannot be reset, is closed instead.
     */
    void giveBack(PoolEntry entry, int dirty) {
        Connection c = entry.physical;
        if (entry.broken) {
            evict(entry);
            return;
        }
        try {
            if (c.isClosed()) {
                evict(entry);
                return;
            }
            if (!c.getAutoCommit()) {
                c.rollback(); // before setAutoCommit: switching auto-commit on would commit the open transaction
            }
            if (c.getAutoCommit() != entry.initialAutoCommit) {
                c.setAutoCommit(entry.initialAutoCommit);
            }
            if (dirty != 0) {
                entry.restore(dirty);
            }
            if (resetQuery != null) {
                try (Statement s = c.createStatement()) {
                    s.execute(resetQuery);
                }
            }
            c.clearWarnings();
        } catch (SQLException | RuntimeException e) {
            AgentLog.debug("closing a connection of " + name + " that could not be reset: " + e);
            evict(entry);
            return;
        }
        long now = System.nanoTime();
        entry.lastReturnedNanos = now;
        if (now - entry.retireAtNanos >= 0) {
            evict(entry);
            return;
        }
        release(entry);
    }

    private void release(PoolEntry entry) {
        lock.lock();
        try {
            if (!closed) {
                Waiter next = waiters.pollFirst();
                if (next != null) {
                    next.entry = entry;
                    LockSupport.unpark(next.thread);
                } else {
                    idle.addFirst(entry);
                }
                return;
            }
            total--;
        } finally {
            lock.unlock();
        }
        closeQuietly(entry.physical);
    }

    /** Closes a connection that must not be reused and frees its slot. */
    void evict(PoolEntry entry) {
        closeQuietly(entry.physical);
        lock.lock();
        try {
            total--;
            wakeHead();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Run periodically by the registry: retires idle connections past idle_timeout (down to min_idle) or past
     * their lifetime, then opens connections up to min_idle. Connections are closed and opened outside the lock.
     */
    void housekeep() {
        long now = System.nanoTime();
        long idleTimeout = settings.idleTimeoutNanos();
        int minIdle = settings.minIdle();
        List<PoolEntry> retire = new ArrayList<>(0);
        int toOpen;
        lock.lock();
        try {
            int idleCount = idle.size();
            for (Iterator<PoolEntry> it = idle.descendingIterator(); it.hasNext(); ) {
                PoolEntry e = it.next();
                boolean expired = now - e.retireAtNanos >= 0;
                boolean idleTooLong = idleTimeout > 0 && now - e.lastReturnedNanos > idleTimeout && idleCount > minIdle;
                if (expired || idleTooLong) {
                    it.remove();
                    idleCount--;
                    total--;
                    retire.add(e);
                }
            }
            toOpen = closed || !waiters.isEmpty() || now - nextOpenNanos < 0 ? 0
                    : Math.min(minIdle - idle.size() - opening, limit - total);
            if (toOpen > 0) {
                total += toOpen;
                opening += toOpen;
            }
            wakeHead();
        } finally {
            lock.unlock();
        }
        for (PoolEntry e : retire) {
            closeQuietly(e.physical);
        }
        for (int i = 0; i < toOpen; i++) {
            try {
                release(openEntry());
            } catch (SQLException e) {
                openFailed(e);
                for (int j = i + 1; j < toOpen; j++) {
                    openFailed(null); // give back the slots reserved for the opens not attempted
                }
                return;
            } catch (RuntimeException | Error e) {
                openFailed(null);
                throw e;
            }
        }
    }

    /** How often {@link #housekeep()} should run: often enough for the shortest configured timeout. */
    long housekeepingPeriodNanos() {
        long period = TimeUnit.SECONDS.toNanos(30);
        if (settings.idleTimeoutNanos() > 0) {
            period = Math.min(period, settings.idleTimeoutNanos() / 2);
        }
        if (settings.maxLifetimeNanos() > 0) {
            period = Math.min(period, settings.maxLifetimeNanos() / 2);
        }
        return Math.max(period, TimeUnit.MILLISECONDS.toNanos(100));
    }

    /** At JVM exit: close the idle connections; borrowed ones are closed as they come back. */
    void shutdown() {
        List<PoolEntry> toClose;
        lock.lock();
        try {
            closed = true;
            toClose = new ArrayList<>(idle);
            idle.clear();
            total -= toClose.size();
        } finally {
            lock.unlock();
        }
        for (PoolEntry e : toClose) {
            closeQuietly(e.physical);
        }
    }

    private SQLTransientConnectionException timedOut(long start, SQLException ownFailure) {
        SQLException failure = ownFailure;
        if (failure == null) {
            SQLException last = lastOpenFailure;
            if (last != null && lastOpenFailureNanos - start >= 0) {
                failure = last;
            }
        }
        int active;
        int idleCount;
        int waiting;
        lock.lock();
        try {
            idleCount = idle.size();
            active = total - opening - idleCount;
            waiting = waiters.size();
        } finally {
            lock.unlock();
        }
        StringBuilder m = new StringBuilder(256)
                .append("pool-agent: timed out after ").append(seconds(System.nanoTime() - start))
                .append(" waiting for a connection to ").append(name)
                .append(" (connection limit ").append(limit)
                .append(", pool timeout ").append(seconds(settings.poolTimeoutNanos()))
                .append("; active ").append(active).append(", idle ").append(idleCount)
                .append(", waiting ").append(waiting).append("). ");
        if (failure != null) {
            m.append("The database could not be reached: the last attempt to connect failed: ")
                    .append(firstLine(failure.getMessage()));
            if (failure.getSQLState() != null) {
                m.append(" (SQLSTATE ").append(failure.getSQLState()).append(')');
            }
        } else {
            m.append("The pool is exhausted: all ").append(limit)
                    .append(" connections are in use. Raise connection_limit or pool_timeout, or hold connections"
                            + " for less time.");
        }
        return new SQLTransientConnectionException(m.toString(), failure == null ? null : failure.getSQLState(),
                failure);
    }

    private static String seconds(long nanos) {
        long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
        return millis % 1000 == 0 ? (millis / 1000) + "s" : String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // it is being discarded; nothing more to do
        }
    }
}
