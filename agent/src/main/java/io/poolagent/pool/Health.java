package io.poolagent.pool;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.Set;

/**
 * Which errors mean the physical connection itself is gone or going, so that it must never be handed out again.
 * A query timeout or a constraint violation says nothing about the connection and keeps it.
 */
final class Health {

    /**
     * Beyond SQLSTATE class 08 (connection exception): the server shutting down (57P01 admin, 57P02 crash),
     * not accepting connections (57P03), a disconnect warning (01002), the idle-session and idle-in-transaction
     * timeouts (57P05, 25P03), and Sybase's JZ0C0/JZ0C1, the list HikariCP and DBCP2 converged on (pools.md §2.5).
     */
    private static final Set<String> FATAL_STATES = Set.of("57P01", "57P02", "57P03", "57P05", "25P03", "01002",
            "JZ0C0", "JZ0C1");
    /** How far down a chain of getNextException() to look. */
    private static final int MAX_CHAIN = 10;

    private Health() {
    }

    static boolean isFatal(SQLException e) {
        SQLException current = e;
        for (int depth = 0; current != null && depth < MAX_CHAIN; depth++) {
            if (!(current instanceof SQLTimeoutException)) {
                String state = current.getSQLState();
                if (state != null && (state.startsWith("08") || FATAL_STATES.contains(state))) {
                    return true;
                }
            }
            current = current.getNextException();
        }
        return false;
    }
}
