package io.poolagent.jmx;

import io.poolagent.pool.ConnectionPool;

/** {@link PoolMXBean} over a live pool: every read goes to the pool, nothing is cached. */
final class PoolMonitor implements PoolMXBean {

    private final ConnectionPool pool;

    PoolMonitor(ConnectionPool pool) {
        this.pool = pool;
    }

    @Override
    public String getName() {
        return pool.name();
    }

    @Override
    public int getActive() {
        return pool.activeCount();
    }

    @Override
    public int getIdle() {
        return pool.idleCount();
    }

    @Override
    public int getWaiting() {
        return pool.pendingCount();
    }

    @Override
    public int getTotal() {
        return pool.totalCount();
    }

    @Override
    public int getLimit() {
        return pool.limit();
    }

    @Override
    public long getTimeouts() {
        return pool.timeoutCount();
    }

    @Override
    public long getLeaks() {
        return pool.leakCount();
    }

    @Override
    public long getCreated() {
        return pool.createdCount();
    }

    @Override
    public long getClosed() {
        return pool.closedCount();
    }

    @Override
    public int evictIdle() {
        return pool.evictIdle();
    }

    @Override
    public String dumpHolders() {
        return pool.holdersReport();
    }
}
