package io.poolagent.pool;

import java.sql.Connection;

/** One physical connection owned by a pool, with the state it had when it was opened. */
final class PoolEntry {

    final Connection physical;
    /** Restored on every return, so each borrower starts from the connection's creation state. */
    final boolean initialAutoCommit;
    final long createdNanos;

    PoolEntry(Connection physical, boolean initialAutoCommit, long createdNanos) {
        this.physical = physical;
        this.initialAutoCommit = initialAutoCommit;
        this.createdNanos = createdNanos;
    }
}
