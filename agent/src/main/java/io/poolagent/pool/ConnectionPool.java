package io.poolagent.pool;

import io.poolagent.config.PoolSettings;
import io.poolagent.log.AgentLog;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
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
 */
public final class ConnectionPool {

    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final String name;
    private final PoolSettings settings;
    private final ConnectionFactory factory;
    private final int limit;

    private final ReentrantLock lock = new ReentrantLock();
    /** Most recently returned first: warm connections are reused, cold ones age out. */
    private final ArrayDeque<PoolEntry> idle = new ArrayDeque<>();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    /** Physical connections open or being opened. */
    private int total;
    private int opening;
    private boolean closed;

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
    }

    public String name() {
        return name;
    }

    /** A logical connection backed by a pooled physical one; closing it gives the physical one back. */
    public Connection borrow() throws SQLException {
        return new PooledConnection(this, acquire());
    }

    PoolEntry acquire() throws SQLException {
        final long start = System.nanoTime();
        final long timeout = settings.poolTimeoutNanos();
        Waiter me = null;
        long backoff = FIRST_BACKOFF_NANOS;
        for (;;) {
            boolean open = false;
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
                        total++;
                        opening++;
                        open = true;
                        leaveQueue(me);
                        me = null;
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
                SQLException failure;
                try {
                    return openEntry();
                } catch (SQLException e) {
                    failure = e;
                } catch (RuntimeException | Error e) {
                    openFailed(null);
                    throw e;
                }
                openFailed(failure);
                long remaining = timeout == 0 ? Long.MAX_VALUE : timeout - (System.nanoTime() - start);
                if (remaining <= 0) {
                    throw timedOut(start, failure);
                }
                // Back off before trying again, so a database that refuses us is not hammered.
                LockSupport.parkNanos(this, Math.min(backoff, remaining));
                backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
                continue;
            }

            long remaining = timeout == 0 ? Long.MAX_VALUE : timeout - (System.nanoTime() - start);
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
            if (timeout == 0) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, remaining);
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
        lastOpenFailure = null;
        lock.lock();
        try {
            opening--;
        } finally {
            lock.unlock();
        }
        return new PoolEntry(physical, autoCommit, System.nanoTime());
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
            wakeHead();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes a connection back from its borrower: rolls back what it left uncommitted (never commits it), restores
     * auto-commit, then hands it to the first waiter or parks it idle. A connection that cannot be reset is closed.
     */
    void giveBack(PoolEntry entry) {
        Connection c = entry.physical;
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
            c.clearWarnings();
        } catch (SQLException | RuntimeException e) {
            AgentLog.debug("closing a connection of " + name + " that could not be reset: " + e);
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
