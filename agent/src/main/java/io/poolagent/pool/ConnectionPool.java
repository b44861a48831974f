package io.poolagent.pool;

import io.poolagent.config.PoolSettings;
import io.poolagent.log.AgentLog;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded pool of physical connections to one target.
 *
 * <p>At most {@code connection_limit} physical connections exist at once, counting those being opened.
 *
 * <p>The hot path takes no lock. Each entry carries a state changed by compare-and-set, so a borrower claims an
 * idle connection directly (trying first the one its thread used last, then the others) and a return just marks
 * it idle. Only a borrower that finds none takes the lock, to queue or to open a connection. Queued borrowers are
 * served in FIFO order: a return that sees waiters hands its connection to the first of them, and a borrower that
 * arrives while others wait queues behind them instead of racing them. So a waiter's wait is bounded by the queue
 * ahead of it, not by luck. The lock guards only the queue and counters: no I/O happens under it, and waiting
 * parks (no monitor is held), so virtual threads never pin.
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
    private static final int YIELDS_BEFORE_QUEUEING = 4;
    private static final long TIMEOUT_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int HOLDERS_SHOWN = 5;
    private static final PoolEntry[] NONE = new PoolEntry[0];

    private final String name;
    private final PoolSettings settings;
    private final ConnectionFactory factory;
    private final int limit;
    private final String resetQuery;
    /** The driver's package, e.g. {@code org.postgresql.}, or null: tells telemetry which database this is. */
    private final String driverPackage;
    /** The {@link DatabaseKey} of the connections, or null: tells telemetry which server and database. */
    private final String database;
    /** The connection each thread used last: tried first, so a thread tends to get its own warm connection back. */
    private final ThreadLocal<PoolEntry> lastUsed = new ThreadLocal<>();

    /** Every open connection; replaced (never changed in place) under the lock, read without it. */
    private volatile PoolEntry[] entries = NONE;
    /** Queued borrowers; written under the lock, read without it by returns deciding whether to hand off. */
    private volatile int waiting;

    private final ReentrantLock lock = new ReentrantLock();
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

    /** A queued borrower; {@code entry} is set, under the lock, by the return that hands it a connection. */
    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        volatile PoolEntry entry;
    }

    private final LeakDetector leaks;
    private final boolean watchHandles;
    /** Telemetry; {@link PoolEvents#NONE} unless a telemetry layer is installed. Set once, before first use. */
    private PoolEvents events = PoolEvents.NONE;
    // Lifetime counters, for monitoring; written under the lock (timeouts: atomically), read without it.
    private volatile long createdCount;
    private volatile long closedCount;
    private final java.util.concurrent.atomic.AtomicLong timeoutCount = new java.util.concurrent.atomic.AtomicLong();
    /** When a pool_timeout was last logged: under exhaustion every borrower times out, one line a while says it. */
    private volatile long lastTimeoutLogNanos = System.nanoTime() - TIMEOUT_LOG_INTERVAL_NANOS;

    /**
     * @param name          how logs, metrics and JMX show the pool
     * @param database      the {@link DatabaseKey} of its connections, or null if unknown
     * @param driverPackage the driver's package, e.g. {@code org.postgresql.}, left out of leak reports; null if
     *                      unknown
     */
    ConnectionPool(String name, String database, PoolSettings settings, ConnectionFactory factory,
                   String driverPackage) {
        this.name = name;
        this.database = database;
        this.settings = settings;
        this.factory = factory;
        this.limit = settings.connectionLimit();
        this.resetQuery = settings.resetQuery();
        this.driverPackage = driverPackage;
        this.leaks = new LeakDetector(this, settings.leakDetectionNanos(), settings.abandonTimeoutNanos(),
                driverPackage);
        this.watchHandles = leaks.watches();
    }

    /** Leak reports so far: connections held past leak_detection_threshold, and handles dropped without close(). */
    public long leakCount() {
        return leaks.leakCount();
    }

    public String name() {
        return name;
    }

    /** Installs telemetry; by the registry, before the pool is published. */
    void events(PoolEvents events) {
        this.events = events == null ? PoolEvents.NONE : events;
    }

    PoolEvents events() {
        return events;
    }

    /** The driver's package with a trailing dot, e.g. {@code org.postgresql.}; null if unknown. */
    public String driverPackage() {
        return driverPackage;
    }

    /**
     * Which database the connections go to, as {@link DatabaseKey} writes it ({@code host:port/name} for PostgreSQL,
     * else the URL without {@code jdbc:}, credentials and options); null if unknown.
     */
    public String database() {
        return database;
    }

    public PoolSettings settings() {
        return settings;
    }

    /** connection_limit: the most physical connections this pool opens at once. */
    public int limit() {
        return limit;
    }

    /** Connections borrowed now. */
    public int activeCount() {
        int n = 0;
        for (PoolEntry e : entries) {
            if (e.state() == PoolEntry.IN_USE) {
                n++;
            }
        }
        return n;
    }

    /** Connections idle in the pool now. */
    public int idleCount() {
        int n = 0;
        for (PoolEntry e : entries) {
            if (e.state() == PoolEntry.IDLE) {
                n++;
            }
        }
        return n;
    }

    /** Physical connections open or being opened now. */
    public int totalCount() {
        lock.lock();
        try {
            return total;
        } finally {
            lock.unlock();
        }
    }

    /** Borrowers queued for a connection now. */
    public int pendingCount() {
        return waiting;
    }

    /** Borrows that gave up after pool_timeout, since the pool was made. */
    public long timeoutCount() {
        return timeoutCount.get();
    }

    /** Physical connections opened, since the pool was made. */
    public long createdCount() {
        return createdCount;
    }

    /** Physical connections closed (retired, evicted, broken), since the pool was made. */
    public long closedCount() {
        return closedCount;
    }

    /**
     * Closes the connections idle now (borrowed ones are untouched and come back as usual): for an operator who
     * wants fresh connections, e.g. after a failover. Returns how many were closed.
     */
    public int evictIdle() {
        int n = 0;
        for (PoolEntry e : entries) {
            if (e.claim(PoolEntry.RESERVED)) {
                evict(e);
                n++;
            }
        }
        return n;
    }

    /** Who holds connections now, longest first, with where each was taken: for an operator's dump. */
    public String holdersReport() {
        String holders = leaks.holders(entries, System.nanoTime(), Integer.MAX_VALUE);
        return holders.isEmpty() ? "no connection of " + name + " is borrowed" : holders.trim();
    }

    /** A logical connection backed by a pooled physical one; closing it gives the physical one back. */
    public Connection borrow() throws SQLException {
        // Kept small (the thread's last connection here, everything else in claimSlowly), with one place that
        // makes the handle, after both paths have an entry: the JIT can then inline borrow() into its caller and,
        // when nothing watches the handle (leak detection and abandon_timeout off) and the caller closes it in the
        // same method, need not allocate it (C2 in JDK 17 does not scalar-replace an object that meets another one
        // at a merge point). Under contention claimSlowly is hot and C2 inlines it here; C2 then inlines borrow()
        // into callers only while its compiled code stays under InlineSmallCode (2500 bytes), so what claimSlowly
        // calls should stay out of line. One more inlined claimLast took borrow() to 2784 bytes, and the handle
        // was allocated again (BENCHMARKS.md, "the nothing-held tail", has the command that checks).
        PoolEntry entry = claimLast();
        long now = System.nanoTime();
        long waited = 0;
        if (entry == null || !fresh(entry, now)) {
            entry = claimSlowly(entry);
            waited = entry.waitedNanos;
            now = System.nanoTime();
        }
        return handOut(entry, now, waited);
    }

    /** Whether a connection just claimed can go out unchecked: not due to retire, and idle only briefly. */
    private static boolean fresh(PoolEntry entry, long now) {
        return now - entry.retireAtNanos < 0 && now - entry.lastReturnedNanos <= VALIDATION_WINDOW_NANOS;
    }

    /**
     * A borrow whose thread's last connection was taken ({@code claimed} null), or one to check first: any other
     * idle connection, else yield, queue, open, and replace dead or retiring connections, all within one
     * pool_timeout. Returns a claimed, checked entry, its {@link PoolEntry#waitedNanos} set to how long the borrow
     * waited before its last check (0 if it did not wait).
     */
    private PoolEntry claimSlowly(PoolEntry claimed) throws SQLException {
        PoolEntry entry = claimed != null ? claimed : claimAny();
        long start = 0;
        for (;;) {
            if (entry == null) {
                entry = claimAfterYielding();
            }
            if (entry == null) {
                if (start == 0) {
                    start = System.nanoTime();
                }
                entry = acquire(start);
            }
            long now = System.nanoTime();
            if (now - entry.retireAtNanos >= 0
                    || (now - entry.lastReturnedNanos > VALIDATION_WINDOW_NANOS && !isAlive(entry))) {
                evict(entry); // replaced within the same pool_timeout
                if (start == 0) {
                    start = now;
                }
                entry = claimAny(); // not claimIdle(): its inlined claimLast would make borrow() too big to inline
                continue;
            }
            entry.waitedNanos = start == 0 ? 0 : now - start;
            return entry;
        }
    }

    private PooledConnection handOut(PoolEntry entry, long now, long waitNanos) {
        PooledConnection handle = entry.handles.create(this, entry);
        entry.borrowedBy(handle, now, leaks.capture(), watchHandles);
        entry.traceContext = events.borrowContext();
        events.borrowed(waitNanos);
        return handle;
    }

    /** The lock-free path: this thread's last connection if idle, else any idle one. */
    private PoolEntry claimIdle() {
        PoolEntry last = claimLast();
        return last != null ? last : claimAny();
    }

    /** This thread's last connection, if it is idle: usually so, and warm in this CPU's cache. */
    private PoolEntry claimLast() {
        PoolEntry last = lastUsed.get();
        return last != null && last.claim(PoolEntry.IN_USE) ? last : null;
    }

    /** Any idle connection, which becomes this thread's last. */
    private PoolEntry claimAny() {
        PoolEntry[] all = entries;
        int n = all.length;
        if (n == 0) {
            return null;
        }
        // Start at a random place, so that threads do not all contend for the first entries.
        int first = n == 1 ? 0 : ThreadLocalRandom.current().nextInt(n);
        for (int i = first; i < n; i++) {
            if (all[i].claim(PoolEntry.IN_USE)) {
                lastUsed.set(all[i]);
                return all[i];
            }
        }
        for (int i = 0; i < first; i++) {
            if (all[i].claim(PoolEntry.IN_USE)) {
                lastUsed.set(all[i]);
                return all[i];
            }
        }
        return null;
    }

    /**
     * Before queueing, give the threads holding connections a moment to return one: parking and being woken costs
     * far more than a short hold. Not when others are queued: their connections come from returns, in turn.
     */
    private PoolEntry claimAfterYielding() {
        for (int i = 0; i < YIELDS_BEFORE_QUEUEING && waiting == 0; i++) {
            Thread.yield();
            PoolEntry entry = claimIdle();
            if (entry != null) {
                return entry;
            }
        }
        return null;
    }

    private static boolean isAlive(PoolEntry entry) {
        try {
            return entry.physical.isValid(VALIDATION_TIMEOUT_SECONDS);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /** The slow path, as telemetry sees it: one wait, however many queue turns and opens it takes. */
    private PoolEntry acquire(final long start) throws SQLException {
        Object wait = events.waitStarted();
        try {
            PoolEntry entry = acquireQueued(start);
            events.waitEnded(wait, System.nanoTime() - start, null);
            return entry;
        } catch (SQLException e) {
            events.waitEnded(wait, System.nanoTime() - start, e);
            throw e;
        }
    }

    /** The slow path: queue, and take a connection that comes back or open a new one when it is our turn. */
    private PoolEntry acquireQueued(final long start) throws SQLException {
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
                if (me == null) {
                    me = new Waiter();
                    waiters.addLast(me);
                    queueChanged(); // before the scan below: a return that missed it sees us queued
                }
                if (waiters.peekFirst() == me) {
                    PoolEntry entry = claimIdle();
                    if (entry != null) {
                        dequeue(me);
                        return entry;
                    }
                    if (total < limit && !closed) {
                        long now = System.nanoTime();
                        if (now - nextOpenNanos >= 0) {
                            total++;
                            opening++;
                            open = true;
                            dequeue(me);
                            me = null;
                        } else {
                            backoffUntil = nextOpenNanos;
                        }
                    }
                }
            } finally {
                lock.unlock();
            }

            if (open) {
                try {
                    return openEntry(timeout == 0 ? Long.MAX_VALUE
                            : Math.max(0, timeout - (System.nanoTime() - start)));
                } catch (DatabaseCap.Exceeded e) {
                    openAbandoned(); // max_db_connections, not the database, said no; it spent our pool_timeout
                    throw e;
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
                    dequeue(me);
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

    /** Under the lock: a borrower leaves the queue; the next in line may now be servable. */
    private void dequeue(Waiter me) {
        waiters.remove(me);
        queueChanged();
        wakeHead();
    }

    /** Under the lock, after the queue changed: what returns read without the lock. */
    private void queueChanged() {
        waiting = waiters.size();
    }

    /** Under the lock: wake the first waiter if it could now take an idle connection or open one. */
    private void wakeHead() {
        Waiter first = waiters.peekFirst();
        if (first != null && ((total < limit && !closed) || anyIdle())) {
            LockSupport.unpark(first.thread);
        }
    }

    private boolean anyIdle() {
        for (PoolEntry e : entries) {
            if (e.state() == PoolEntry.IDLE) {
                return true;
            }
        }
        return false;
    }

    /**
     * Opens a connection and adds it to the pool, claimed (IN_USE) by the caller.
     *
     * @param waitNanos how long the open may wait under max_db_connections
     */
    private PoolEntry openEntry(long waitNanos) throws SQLException {
        Object create = events.createStarted();
        long started = System.nanoTime();
        Connection physical;
        boolean autoCommit;
        try {
            physical = factory.open(waitNanos);
            if (physical == null) {
                throw new SQLException("pool-agent: the driver returned no connection for " + name, "08001");
            }
            try {
                autoCommit = physical.getAutoCommit();
            } catch (SQLException | RuntimeException e) {
                discard(physical);
                throw e;
            }
        } catch (SQLException e) {
            events.createEnded(create, System.nanoTime() - started, e);
            throw e;
        }
        long now = System.nanoTime();
        events.createEnded(create, now - started, null);
        PoolEntry entry = new PoolEntry(physical, autoCommit, now, retireAt(now));
        lastOpenFailure = null;
        lock.lock();
        try {
            opening--;
            openFailures = 0;
            createdCount++;
            PoolEntry[] all = entries;
            PoolEntry[] grown = Arrays.copyOf(all, all.length + 1);
            grown[all.length] = entry;
            entries = grown;
        } finally {
            lock.unlock();
        }
        return entry;
    }

    /** Lifetimes get up to 2.5% jitter, so connections opened together do not all retire together. */
    private long retireAt(long now) {
        long lifetime = settings.maxLifetimeNanos();
        if (lifetime == 0) {
            return now + Long.MAX_VALUE / 2;
        }
        return now + lifetime - ThreadLocalRandom.current().nextLong(lifetime / 40 + 1);
    }

    /** An open reserved under the lock did not happen, for a reason that calls for no back-off. */
    private void openAbandoned() {
        lock.lock();
        try {
            total--;
            opening--;
            wakeHead();
        } finally {
            lock.unlock();
        }
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

    /** close() of a handle: ends the borrow, unless the leak detector already took the connection back. */
    void returnFrom(PoolEntry entry, int dirty) {
        if (!entry.release(entry.holder())) {
            return;
        }
        if (entry.reportedLeak) {
            leaks.returnedLate(entry, System.nanoTime());
        }
        long borrowed = entry.borrowedNanos;
        boolean handedOver = giveBack(entry, dirty);
        PoolEvents e = events;
        if (e.active()) {
            e.returned(System.nanoTime() - borrowed);
        }
        if (handedOver) {
            // The waiter needs a CPU to run, and this thread would otherwise go straight to its next borrow, find
            // the pool empty (it just gave its connection away), queue and park: a chain of parks and wake-ups.
            Thread.yield();
        }
    }

    /** abort() of a handle: the physical connection is gone for good. */
    void abortFrom(PoolEntry entry, java.util.concurrent.Executor executor) throws SQLException {
        if (!entry.release(entry.holder())) {
            return;
        }
        try {
            entry.physical.abort(executor);
        } finally {
            evict(entry);
        }
    }

    /** For abandon_timeout: abort a connection taken from its holder and free its slot. */
    void abort(PoolEntry entry) {
        try {
            entry.physical.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            // closing below is the fallback
        }
        evict(entry);
    }

    /**
     * Takes a connection back from its borrower: rolls back what it left uncommitted (never commits it), restores
     * auto-commit and whatever else the borrower changed, runs reset_query, then hands it to the first waiter or
     * parks it idle. A broken connection, or one that cannot be reset, is closed instead. Returns whether it went
     * to a waiter.
     */
    boolean giveBack(PoolEntry entry, int dirty) {
        Connection c = entry.physical;
        if (entry.broken) {
            evict(entry);
            return false;
        }
        try {
            if (c.isClosed()) {
                evict(entry);
                return false;
            }
            boolean autoCommit = c.getAutoCommit();
            if (!autoCommit) {
                c.rollback(); // before setAutoCommit: switching auto-commit on would commit the open transaction
            }
            if (autoCommit != entry.initialAutoCommit) {
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
            return false;
        }
        long now = System.nanoTime();
        entry.lastReturnedNanos = now;
        if (now - entry.retireAtNanos >= 0) {
            evict(entry);
            return false;
        }
        return release(entry);
    }

    /**
     * Makes a claimed entry available again: marks it idle, then, if borrowers are queued, takes it back and hands
     * it to the first of them. The order (idle first, then look at the queue) pairs with the queue-then-scan order
     * of {@link #acquire}: one of the two always sees the other.
     *
     * <p>Handing over, rather than marking it idle and waking the first waiter, is what keeps the queue fair: a
     * woken thread takes a while to run (on a busy machine, a scheduler tick), and meanwhile a running borrower,
     * often the thread that just returned it, would take the connection, again and again. Measured with borrowers
     * that hold their connections while parked, as an application waiting on its queries does, the hand-over cut
     * the 99.9th percentile several-fold (see BENCHMARKS.md); when nobody waits it costs nothing. Returns whether
     * it went to a waiter.
     */
    private boolean release(PoolEntry entry) {
        entry.state(PoolEntry.IDLE);
        boolean handedOver = waiting > 0 && handOff(entry);
        if (closed) {
            retireIdle(entry);
        }
        return handedOver;
    }

    /**
     * To the first waiter, under the lock, unless a borrower claimed the entry since it was marked idle. Returns
     * whether it was handed over.
     */
    private boolean handOff(PoolEntry entry) {
        lock.lock();
        try {
            Waiter next = waiters.peekFirst();
            if (next != null && entry.claim(PoolEntry.IN_USE)) {
                waiters.pollFirst();
                queueChanged();
                next.entry = entry;
                LockSupport.unpark(next.thread);
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Closes a connection that must not be reused and frees its slot. The caller owns the entry. */
    void evict(PoolEntry entry) {
        entry.state(PoolEntry.REMOVED);
        discard(entry.physical);
        remove(entry);
    }

    /**
     * For max_db_connections: closes one idle connection, if there is one nobody claims first, so that an opener
     * to the same database waiting for a free slot gets one. Returns whether one was closed.
     */
    boolean retireOneIdle() {
        for (PoolEntry e : entries) {
            if (e.state() == PoolEntry.IDLE && e.claim(PoolEntry.RESERVED)) {
                evict(e);
                return true;
            }
        }
        return false;
    }

    /** Retires an idle entry if nobody claims it first. */
    private void retireIdle(PoolEntry entry) {
        if (entry.claim(PoolEntry.RESERVED)) {
            evict(entry);
        }
    }

    private void remove(PoolEntry entry) {
        lock.lock();
        try {
            PoolEntry[] all = entries;
            for (int i = 0; i < all.length; i++) {
                if (all[i] == entry) {
                    PoolEntry[] shrunk = new PoolEntry[all.length - 1];
                    System.arraycopy(all, 0, shrunk, 0, i);
                    System.arraycopy(all, i + 1, shrunk, i, all.length - i - 1);
                    entries = shrunk;
                    total--;
                    closedCount++;
                    break;
                }
            }
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
        leaks.scan(entries, now, waiting > 0);
        long idleTimeout = settings.idleTimeoutNanos();
        int minIdle = settings.minIdle();
        PoolEntry[] all = entries;
        int idleCount = 0;
        for (PoolEntry e : all) {
            if (e.state() == PoolEntry.IDLE) {
                idleCount++;
            }
        }
        for (PoolEntry e : all) {
            if (e.state() != PoolEntry.IDLE) {
                continue;
            }
            boolean expired = now - e.retireAtNanos >= 0;
            boolean idleTooLong = idleTimeout > 0 && now - e.lastReturnedNanos > idleTimeout && idleCount > minIdle;
            if ((expired || idleTooLong) && e.claim(PoolEntry.RESERVED)) {
                idleCount--;
                evict(e);
            }
        }
        int toOpen;
        lock.lock();
        try {
            toOpen = closed || !waiters.isEmpty() || now - nextOpenNanos < 0 ? 0
                    : Math.min(minIdle - idleCount - opening, limit - total);
            if (toOpen > 0) {
                total += toOpen;
                opening += toOpen;
            }
        } finally {
            lock.unlock();
        }
        for (int i = 0; i < toOpen; i++) {
            try {
                release(openEntry(0)); // min_idle never waits under max_db_connections
            } catch (DatabaseCap.Exceeded e) {
                for (int j = i; j < toOpen; j++) {
                    openAbandoned();
                }
                return;
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
        // Leak checks scan at most connection_limit entries: cheap enough to run every second, which also bounds
        // how long a starved pool waits before dropped handles are found.
        period = Math.min(period, TimeUnit.SECONDS.toNanos(1));
        if (settings.leakDetectionNanos() > 0) {
            period = Math.min(period, settings.leakDetectionNanos() / 2);
        }
        if (settings.abandonTimeoutNanos() > 0) {
            period = Math.min(period, settings.abandonTimeoutNanos() / 2);
        }
        return Math.max(period, TimeUnit.MILLISECONDS.toNanos(100));
    }

    /** At JVM exit: close the idle connections; borrowed ones are closed as they come back. */
    void shutdown() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
        for (PoolEntry e : entries) {
            retireIdle(e);
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
        int active = 0;
        int idleCount = 0;
        for (PoolEntry e : entries) {
            int state = e.state();
            if (state == PoolEntry.IDLE) {
                idleCount++;
            } else if (state == PoolEntry.IN_USE) {
                active++;
            }
        }
        int queued = waiting;
        long waited = System.nanoTime() - start;
        timeoutCount.incrementAndGet();
        events.timedOut(waited);
        StringBuilder m = new StringBuilder(256)
                .append("pool-agent: timed out after ").append(seconds(System.nanoTime() - start))
                .append(" waiting for a connection to ").append(name)
                .append(" (connection limit ").append(limit)
                .append(", pool timeout ").append(seconds(settings.poolTimeoutNanos()))
                .append("; active ").append(active).append(", idle ").append(idleCount)
                .append(", waiting ").append(queued).append("). ");
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
            m.append(leaks.holders(entries, System.nanoTime(), HOLDERS_SHOWN));
        }
        long now = System.nanoTime();
        if (now - lastTimeoutLogNanos >= TIMEOUT_LOG_INTERVAL_NANOS) {
            lastTimeoutLogNanos = now;
            AgentLog.warn(m.toString());
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

    /** Closes a physical connection for good, and frees its place under max_db_connections. */
    private void discard(Connection c) {
        closeQuietly(c);
        factory.closed(c);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // it is being discarded; nothing more to do
        }
    }
}
