package io.poolagent.jmx;

/**
 * One pool as JMX shows it, PgBouncer's SHOW POOLS for one pool: counts now, counts since the pool was made, and
 * two operations. An MXBean, so a client (jconsole, VisualVM, jmxterm, a JMX exporter) needs none of the agent's
 * classes: every value is a number or a string.
 */
public interface PoolMXBean {

    /** The pool's name, user@host:port/database (never a password). */
    String getName();

    /** Connections borrowed by the application now. */
    int getActive();

    /** Connections open and idle in the pool now. */
    int getIdle();

    /** Borrowers queued for a connection now. */
    int getWaiting();

    /** Physical connections open or being opened now. */
    int getTotal();

    /** connection_limit: the most physical connections the pool opens. */
    int getLimit();

    /** Borrows that gave up after pool_timeout, since the pool was made. */
    long getTimeouts();

    /** Leaks reported (held past leak_detection_threshold, never closed, or taken back), since the pool was made. */
    long getLeaks();

    /** Physical connections opened, since the pool was made. */
    long getCreated();

    /** Physical connections closed (idle retirement, max_lifetime, broken, evicted), since the pool was made. */
    long getClosed();

    /** Closes the idle connections now; borrowed ones are left alone and come back as usual. Returns how many. */
    int evictIdle();

    /** Who holds connections now, longest first: thread, how long, and where each connection was taken. */
    String dumpHolders();
}
