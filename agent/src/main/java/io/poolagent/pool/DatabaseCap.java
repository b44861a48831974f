package io.poolagent.pool;

import io.poolagent.log.AgentLog;

import java.lang.ref.WeakReference;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * max_db_connections: the most physical connections this JVM holds to one database ({@link DatabaseKey}), whoever
 * opened them: the agent's own pools, and existing pools (HikariCP and the like) that get real connections from
 * the agent. Opening one takes a {@link Permit}; past the cap, the opener waits for one to be freed.
 *
 * <p>Our pools free their permits when they close a connection. Existing pools' connections are not wrapped, so
 * their closing is not seen directly: each is held weakly, and a waiter re-checks them ({@code isClosed()}, or
 * collected) every {@link #RECHECK_NANOS}. A waiter also asks our own pools to the same database to close an idle
 * connection, so that one pool's idle connections cannot starve another's borrowers.
 *
 * <p>Only openers wait here, never the borrow path, and the lock is never held while calling a connection or a pool.
 */
public final class DatabaseCap {

    /** How often a waiter re-checks existing pools' connections for ones they closed. */
    static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final int OWNERS_SHOWN = 4;
    private static final long TIMEOUT_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final int max;
    /** Whether max_db_connections was set; if not, a database's cap grows to its largest pool's limit. */
    private final boolean explicit;
    private final ConcurrentHashMap<String, Database> databases = new ConcurrentHashMap<>();

    /** Thrown when an opener waited its whole timeout; its message names the cap, the database and the holders. */
    public static final class Exceeded extends SQLTransientConnectionException {
        private static final long serialVersionUID = 1L;

        Exceeded(String message) {
            super(message);
        }
    }

    /** One counted physical connection (or one being opened). */
    public static final class Permit {
        final Database database;
        final String owner;
        final String thread = Thread.currentThread().getName();
        /** Set for existing pools' connections once opened: watched for close and collection. */
        volatile WeakReference<Connection> watched;
        private final AtomicBoolean released = new AtomicBoolean();

        Permit(Database database, String owner) {
            this.database = database;
            this.owner = owner;
        }
    }

    static final class Database {
        final String key;
        final ReentrantLock lock = new ReentrantLock();
        final Condition freed = lock.newCondition();
        /** Every permit taken and not released; guarded by lock. */
        final List<Permit> held = new ArrayList<>();
        /** Our pools to this database, asked to give up an idle connection when someone waits. */
        final List<ConnectionPool> pools = new CopyOnWriteArrayList<>();
        /** This database's cap: max_db_connections, or by default the largest connection_limit of ours to it. */
        volatile int max;
        volatile long lastTimeoutLogNanos = System.nanoTime() - TIMEOUT_LOG_INTERVAL_NANOS;

        Database(String key) {
            this.key = key;
        }
    }

    /** A cap of exactly {@code max} per database: max_db_connections was set. */
    public DatabaseCap(int max) {
        this(max, true);
    }

    /**
     * @param max      the cap of a database
     * @param explicit false when max is only the default connection_limit: then a database to which one of our
     *                 pools has a larger connection_limit (from its own URL, or {@code connection_limit@target})
     *                 gets that limit as its cap, so that a pool is never held below the size it was given
     */
    public DatabaseCap(int max, boolean explicit) {
        if (max < 1) {
            throw new IllegalArgumentException("max < 1: " + max);
        }
        this.max = max;
        this.explicit = explicit;
    }

    /** The cap of the database {@code key}. */
    public int max(String key) {
        return database(key).max;
    }

    private Database database(String key) {
        return databases.computeIfAbsent(key, k -> {
            Database db = new Database(k);
            db.max = max;
            return db;
        });
    }

    /** Our pool opens connections to {@code key}; it may be asked to close an idle one for a waiter. */
    void register(String key, ConnectionPool pool) {
        Database db = database(key);
        db.pools.add(pool);
        if (!explicit && pool.limit() > db.max) {
            db.lock.lock();
            try {
                db.max = Math.max(db.max, pool.limit());
                db.freed.signalAll();
            } finally {
                db.lock.unlock();
            }
        }
    }

    /**
     * Takes a permit for one more connection to {@code key}, waiting up to {@code waitNanos} (Long.MAX_VALUE: no
     * limit; 0: no wait) for one to be freed.
     *
     * @param owner who opens it, for the timeout message: a pool's name, or e.g. "HikariCP"
     * @throws Exceeded when none was freed in time
     */
    public Permit acquire(String key, long waitNanos, String owner) throws SQLException {
        Database db = database(key);
        long start = System.nanoTime();
        for (;;) {
            db.lock.lock();
            try {
                if (db.held.size() < db.max) {
                    Permit p = new Permit(db, owner);
                    db.held.add(p);
                    return p;
                }
            } finally {
                db.lock.unlock();
            }
            // An open that will not wait is a min_idle top-up: closing another pool's idle connection for it would
            // only make that pool top up in turn, a close and reopen on every housekeeping pass.
            if (reclaim(db, waitNanos != 0)) {
                continue;
            }
            long remaining = waitNanos == Long.MAX_VALUE ? Long.MAX_VALUE : waitNanos - (System.nanoTime() - start);
            if (remaining <= 0) {
                // An open that would not wait (a min_idle top-up) is turned down quietly: it is tried again on
                // every housekeeping pass, and its line would drown a borrower's real timeout.
                throw exceeded(db, owner, System.nanoTime() - start, waitNanos != 0);
            }
            db.lock.lock();
            try {
                if (db.held.size() >= db.max) {
                    db.freed.awaitNanos(Math.min(remaining, RECHECK_NANOS));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("pool-agent: interrupted while waiting under max_db_connections=" + db.max
                        + " for a connection to " + key, "08001", e);
            } finally {
                db.lock.unlock();
            }
        }
    }

    /** An existing pool got its connection: watch it, so the permit is freed once the pool closes it. */
    public void watch(Permit permit, Connection connection) {
        permit.watched = new WeakReference<>(connection);
    }

    /** Frees a permit; a second call does nothing. */
    public void release(Permit permit) {
        if (!permit.released.compareAndSet(false, true)) {
            return;
        }
        Database db = permit.database;
        db.lock.lock();
        try {
            db.held.remove(permit);
            db.freed.signal();
        } finally {
            db.lock.unlock();
        }
    }

    /** Connections to {@code key} counted now, for tests and messages. */
    public int held(String key) {
        Database db = databases.get(key);
        if (db == null) {
            return 0;
        }
        db.lock.lock();
        try {
            return db.held.size();
        } finally {
            db.lock.unlock();
        }
    }

    /**
     * Frees the permits of existing pools' connections that were closed or dropped; failing that, and if
     * {@code retireIdle}, asks one of our pools to close an idle connection. Returns whether anything was freed. Runs
     * without the lock: isClosed() is the driver's code.
     */
    private boolean reclaim(Database db, boolean retireIdle) {
        Permit[] held;
        db.lock.lock();
        try {
            held = db.held.toArray(new Permit[0]);
        } finally {
            db.lock.unlock();
        }
        boolean freed = false;
        for (Permit p : held) {
            WeakReference<Connection> ref = p.watched;
            if (ref == null) {
                continue; // ours, or still being opened
            }
            Connection c = ref.get();
            if (c == null || isClosed(c)) {
                release(p);
                freed = true;
            }
        }
        if (!freed && retireIdle) {
            for (ConnectionPool pool : db.pools) {
                if (pool.retireOneIdle()) {
                    return true;
                }
            }
        }
        return freed;
    }

    private static boolean isClosed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException | RuntimeException e) {
            return false; // cannot tell: keep counting it
        }
    }

    private Exceeded exceeded(Database db, String owner, long waitedNanos, boolean log) {
        Map<String, int[]> byOwner = new LinkedHashMap<>();
        Map<String, String> threadOf = new LinkedHashMap<>();
        db.lock.lock();
        try {
            for (Permit p : db.held) {
                byOwner.computeIfAbsent(p.owner, k -> new int[1])[0]++;
                threadOf.putIfAbsent(p.owner, p.thread);
            }
        } finally {
            db.lock.unlock();
        }
        List<Map.Entry<String, int[]>> owners = new ArrayList<>(byOwner.entrySet());
        owners.sort((a, b) -> Integer.compare(b.getValue()[0], a.getValue()[0]));
        StringBuilder m = new StringBuilder(256)
                .append("pool-agent: timed out after ").append(LeakDetector.seconds(waitedNanos))
                .append(" waiting for a connection to database ").append(db.key).append(" for ").append(owner)
                .append(": max_db_connections=").append(db.max)
                .append(" connections to it are open in this JVM. Held by: ");
        for (int i = 0; i < owners.size() && i < OWNERS_SHOWN; i++) {
            Map.Entry<String, int[]> e = owners.get(i);
            if (i > 0) {
                m.append("; ");
            }
            m.append(e.getKey()).append(": ").append(e.getValue()[0])
                    .append(" (e.g. opened on thread \"").append(threadOf.get(e.getKey())).append("\")");
        }
        if (owners.size() > OWNERS_SHOWN) {
            m.append("; and ").append(owners.size() - OWNERS_SHOWN).append(" more");
        }
        m.append(". Raise max_db_connections, or make the pools that hold them smaller.");
        long now = System.nanoTime();
        // Under starvation every opener times out: one line a while says it.
        if (log && now - db.lastTimeoutLogNanos >= TIMEOUT_LOG_INTERVAL_NANOS) {
            db.lastTimeoutLogNanos = now;
            AgentLog.warn(m.toString());
        }
        return new Exceeded(m.toString());
    }

}
