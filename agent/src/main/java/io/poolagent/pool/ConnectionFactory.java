package io.poolagent.pool;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens one physical connection for a pool, and hears when the pool closes one (to free its max_db_connections permit). */
interface ConnectionFactory {
    /**
     * @param waitNanos how long the open may wait under max_db_connections for a connection to be freed
     *                  (Long.MAX_VALUE: no limit, 0: no wait)
     * @throws DatabaseCap.Exceeded when that wait ran out
     */
    Connection open(long waitNanos) throws SQLException;

    /** The pool closed (or gave up) a connection this factory opened. */
    default void closed(Connection physical) {
    }
}
