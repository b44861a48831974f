package io.poolagent.pool;

import java.sql.SQLException;

/**
 * What a pool reports as it works, for telemetry. The pool calls these on the borrowing or returning thread, so an
 * implementation must be quick and must not throw. The default does nothing, and costs a call the JIT removes.
 *
 * <p>Slow-path hooks come in pairs: {@code ...Started} returns a token (may be null) that the pool hands back to the
 * matching {@code ...Ended}, so a span can be opened on the waiting thread and closed when the wait is over.
 */
public interface PoolEvents {

    PoolEvents NONE = new PoolEvents() { };

    /** Makes the events of one pool; asked once, when the pool is made. */
    interface Factory {
        PoolEvents forPool(ConnectionPool pool);
    }

    /**
     * Whether anyone listens now; when not, the pool skips reading the clock for {@link #returned(long)}. May change
     * from false to true at any time (telemetry found later).
     */
    default boolean active() {
        return this != NONE;
    }

    /** A borrow found no idle connection and is about to queue or open one. */
    default Object waitStarted() {
        return null;
    }

    /** The wait of {@link #waitStarted()} is over: failure is null when a connection was obtained. */
    default void waitEnded(Object token, long waitNanos, SQLException failure) {
    }

    /** Every successful borrow, with how long it waited (0 when an idle connection was taken at once). */
    default void borrowed(long waitNanos) {
    }

    /** A borrow gave up after pool_timeout; {@link #waitEnded} is called as well. */
    default void timedOut(long waitNanos) {
    }

    /** A borrower gave a connection back after holding it for heldNanos. */
    default void returned(long heldNanos) {
    }

    /** The pool is about to open a physical connection. */
    default Object createStarted() {
        return null;
    }

    /** The open of {@link #createStarted()} is over: failure is null when it succeeded. */
    default void createEnded(Object token, long createNanos, SQLException failure) {
    }

    /**
     * Context of the borrower's current trace, kept with the connection so a later leak report can name the trace
     * that took it; null when there is none. Called at every borrow, so it must not allocate when it can help it.
     */
    default Object borrowContext() {
        return null;
    }

    /** A leak was reported; context is what {@link #borrowContext()} returned for the borrow. */
    default void leakReported(Object context, String report) {
    }
}
