package io.poolagent.pool;

import java.lang.invoke.MethodHandles;
import java.lang.ref.WeakReference;
import java.lang.invoke.VarHandle;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * One physical connection owned by a pool, with what the pool must know to hand it out safely again: the state it
 * had when it was opened (read lazily, the first time a borrower changes it, since reading some of it costs a round
 * trip), whether it is broken, and when it retires.
 */
public final class PoolEntry {

    static final int ISOLATION = 1;
    static final int READ_ONLY = 1 << 1;
    static final int CATALOG = 1 << 2;
    static final int SCHEMA = 1 << 3;
    static final int NETWORK_TIMEOUT = 1 << 4;
    static final int HOLDABILITY = 1 << 5;
    static final int CLIENT_INFO = 1 << 6;

    /** Free to borrow. */
    static final int IDLE = 0;
    /** Borrowed, being opened, or being handed to a waiter. */
    static final int IN_USE = 1;
    /** Taken by the housekeeper to be retired. */
    static final int RESERVED = 2;
    /** Out of the pool for good. */
    static final int REMOVED = 3;

    private static final VarHandle STATE;
    private static final VarHandle HOLDER;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(PoolEntry.class, "state", int.class);
            HOLDER = lookup.findVarHandle(PoolEntry.class, "holder", WeakReference.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Changed only by compare-and-set from IDLE, or by its owner (whoever moved it out of IDLE). */
    private volatile int state = IN_USE;

    final Connection physical;
    /** Makes the borrowers' handles; one per physical connection class. */
    final PooledConnection.Factory handles;
    final boolean initialAutoCommit;
    final long createdNanos;
    /** System.nanoTime() after which the connection is retired when next idle; Long.MAX_VALUE = never. */
    final long retireAtNanos;
    /** When it last came back to the pool (or was opened): decides validation and idle retirement. */
    long lastReturnedNanos;
    /** Set when a fatal error was seen on it: it is closed on return instead of being reused. */
    volatile boolean broken;

    // The current borrow, for leak reports: written by the borrower before {@code holder}, read after it.
    long borrowedNanos;
    /** For the borrow that claimed the entry on the slow path: how long it waited, 0 if it did not. */
    long waitedNanos;
    Thread borrower;
    /** Where the connection was taken; null when leak detection is off. */
    Throwable acquisition;
    /** The borrower's trace, from {@link PoolEvents#borrowContext()}, so a leak report can name it; often null. */
    Object traceContext;
    /** Set once this borrow was reported as held too long, so its return is reported too. */
    boolean reportedLeak;
    /**
     * The handle of the current borrow, weakly: when the application drops the handle without closing it, the
     * reference clears and the leak detector takes the connection back. Whoever swaps it to null (the handle's
     * close, or the detector) owns the return.
     */
    private volatile WeakReference<PooledConnection> holder;

    /** Which of the creation-state fields below have been read. Touched only by the current borrower. */
    private int known;
    private int isolation;
    private boolean readOnly;
    private String catalog;
    private String schema;
    private int networkTimeout;
    private int holdability;
    private Properties clientInfo;

    PoolEntry(Connection physical, boolean initialAutoCommit, long createdNanos) {
        this(physical, initialAutoCommit, createdNanos, Long.MAX_VALUE);
    }

    PoolEntry(Connection physical, boolean initialAutoCommit, long createdNanos, long retireAtNanos) {
        this.physical = physical;
        this.handles = ConnectionHandles.factory(physical);
        this.initialAutoCommit = initialAutoCommit;
        this.createdNanos = createdNanos;
        this.retireAtNanos = retireAtNanos;
        this.lastReturnedNanos = createdNanos;
    }

    /** Takes the entry if it is idle: the lock-free way to borrow it (or, for the housekeeper, to reserve it). */
    boolean claim(int newState) {
        return STATE.compareAndSet(this, IDLE, newState);
    }

    int state() {
        return state;
    }

    /** By the entry's owner only: back to IDLE, or to REMOVED. */
    void state(int newState) {
        state = newState;
    }

    /**
     * The holder of every borrow while leak detection and abandon_timeout are both off: nothing then needs to
     * watch the handle, and a weak reference per borrow is not free (the collector processes each one).
     */
    static final WeakReference<PooledConnection> UNWATCHED = new WeakReference<>(null);

    void borrowedBy(PooledConnection handle, long now, Throwable acquisition, boolean watch) {
        this.borrowedNanos = now;
        this.borrower = Thread.currentThread();
        this.acquisition = acquisition;
        this.reportedLeak = false;
        // A release write, not a volatile one: it orders the fields above before it, which is all the leak
        // detector's volatile read of it needs, and spares every borrow a full fence.
        HOLDER.setRelease(this, watch ? new WeakReference<>(handle) : UNWATCHED);
    }

    WeakReference<PooledConnection> holder() {
        return holder;
    }

    /** Ends the current borrow; false if someone else (the leak detector, or the handle) already did. */
    boolean release(WeakReference<PooledConnection> expected) {
        return expected != null && HOLDER.compareAndSet(this, expected, null);
    }

    /** The attributes whose creation value is known: all a lost handle may have changed, for its reset. */
    int knownAttributes() {
        return known;
    }

    /** Reads the creation value of {@code attribute} before a borrower first changes it. */
    void remember(int attribute) throws SQLException {
        if ((known & attribute) != 0) {
            return;
        }
        switch (attribute) {
            case ISOLATION -> isolation = physical.getTransactionIsolation();
            case READ_ONLY -> readOnly = physical.isReadOnly();
            case CATALOG -> catalog = physical.getCatalog();
            case SCHEMA -> schema = physical.getSchema();
            case NETWORK_TIMEOUT -> networkTimeout = physical.getNetworkTimeout();
            case HOLDABILITY -> holdability = physical.getHoldability();
            case CLIENT_INFO -> {
                Properties p = new Properties();
                p.putAll(physical.getClientInfo());
                clientInfo = p;
            }
            default -> throw new IllegalArgumentException("attribute " + attribute);
        }
        known |= attribute;
    }

    /** Puts back the creation value of every attribute in {@code dirty}. */
    void restore(int dirty) throws SQLException {
        if ((dirty & ISOLATION) != 0) {
            physical.setTransactionIsolation(isolation);
        }
        if ((dirty & READ_ONLY) != 0) {
            physical.setReadOnly(readOnly);
        }
        if ((dirty & CATALOG) != 0) {
            physical.setCatalog(catalog);
        }
        if ((dirty & SCHEMA) != 0) {
            physical.setSchema(schema);
        }
        if ((dirty & NETWORK_TIMEOUT) != 0) {
            physical.setNetworkTimeout(Runnable::run, networkTimeout);
        }
        if ((dirty & HOLDABILITY) != 0) {
            physical.setHoldability(holdability);
        }
        if ((dirty & CLIENT_INFO) != 0) {
            physical.setClientInfo(clientInfo);
        }
    }
}
