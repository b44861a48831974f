package io.poolagent.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;

/** What the three pool benchmarks share: the target, the prefill and the check that nothing bypassed the pool. */
final class BenchSupport {

    /** The physical URL every subject connects to; the agent's case adds its pool size as a URL parameter. */
    static final String URL = StubDriver.URL_PREFIX + "bench";
    /** Seconds a borrower may wait: far above any wait here, so a timeout means a broken pool, not load. */
    static final int POOL_TIMEOUT_SECONDS = 30;
    /** Connection properties: none, as in HikariCP's own connection benchmark. Never modified. */
    static final Properties NO_PROPERTIES = new Properties();

    /**
     * How long a borrower in the "held" benchmarks keeps its connection, parked as if waiting for a query's answer:
     * a fast query on a local network. Parked, not spinning, so that its thread leaves the CPU to others and
     * borrowers really queue for connections, as in an application whose threads wait on the database.
     */
    static final long HOLD_NANOS = 50_000;

    private BenchSupport() {
    }

    /** Keeps the borrowed connection for {@link #HOLD_NANOS}, off the CPU. */
    static void holdForQuery() {
        LockSupport.parkNanos(HOLD_NANOS);
    }

    /** One borrow, as each subject does it. */
    @FunctionalInterface
    interface Borrow {
        Connection get() throws SQLException;
    }

    /**
     * Borrows {@code size} connections at once and returns them, so that the pool is full before measuring (HikariCP
     * is prefilled through minimumIdle; ours opens lazily) and no physical connect lands in a measured iteration.
     */
    static void prefill(Borrow borrow, int size) throws SQLException {
        List<Connection> held = new ArrayList<>(size);
        try {
            for (int i = 0; i < size; i++) {
                held.add(borrow.get());
            }
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
    }

    /** After a trial: more physical connects than the pool size means the benchmark measured connecting. */
    static void checkOpenedAtMost(int size, String subject) {
        int opened = StubDriver.opened();
        if (opened > size) {
            throw new IllegalStateException(subject + ": the stub driver opened " + opened
                    + " connections for a pool of " + size + "; the measurement did not go through a pool");
        }
    }
}
