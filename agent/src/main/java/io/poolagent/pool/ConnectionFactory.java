package io.poolagent.pool;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens one physical connection for a pool. */
@FunctionalInterface
interface ConnectionFactory {
    Connection open() throws SQLException;
}
