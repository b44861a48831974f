package io.poolagent.pool;

import io.poolagent.config.PoolSettings;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cap's counting; the end-to-end tests prove it against PostgreSQL with HikariCP. */
class DatabaseCapTest {

    /** A connection that only answers isClosed(), as an existing pool's real connection would. */
    private static Connection connection(AtomicBoolean closed) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "isClosed" -> closed.get();
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aFullDatabaseTimesOutNamingCapKeyAndHolders() throws SQLException {
        DatabaseCap cap = new DatabaseCap(2);
        cap.watch(cap.acquire("db:5432/app", 0, "HikariCP"), connection(new AtomicBoolean()));
        cap.acquire("db:5432/app", 0, "pool-agent pool app@db:5432/app");
        cap.acquire("db:5432/other", 0, "HikariCP"); // another database has its own count
        DatabaseCap.Exceeded e = assertThrows(DatabaseCap.Exceeded.class,
                () -> cap.acquire("db:5432/app", 50_000_000L, "HikariCP"));
        assertTrue(e.getMessage().contains("max_db_connections=2"), e.getMessage());
        assertTrue(e.getMessage().contains("database db:5432/app"), e.getMessage());
        assertTrue(e.getMessage().contains("HikariCP: 1"), e.getMessage());
        assertTrue(e.getMessage().contains("pool-agent pool app@db:5432/app: 1"), e.getMessage());
        assertEquals(2, cap.held("db:5432/app"));
    }

    @Test
    void byDefaultTheCapGrowsToTheLargestPoolLimitButASetCapDoesNot() throws SQLException {
        PoolSettings eight = new PoolSettings(8, 1_000_000_000L, 5);
        DatabaseCap byDefault = new DatabaseCap(5, false);
        byDefault.register("db:5432/app", TestPools.pool("app@db:5432/app", eight, p -> PoolEvents.NONE));
        assertEquals(8, byDefault.max("db:5432/app"), "a pool given connection_limit=8 must be able to open 8");
        assertEquals(5, byDefault.max("db:5432/other"));
        for (int i = 0; i < 8; i++) {
            byDefault.acquire("db:5432/app", 0, "pool-agent pool app@db:5432/app");
        }
        assertThrows(DatabaseCap.Exceeded.class, () -> byDefault.acquire("db:5432/app", 0, "HikariCP"));

        DatabaseCap set = new DatabaseCap(5, true);
        set.register("db:5432/app", TestPools.pool("app@db:5432/app", eight, p -> PoolEvents.NONE));
        assertEquals(5, set.max("db:5432/app"), "max_db_connections, when set, is the cap");
    }

    @Test
    void aClosedPassThroughConnectionFreesItsPermitForAWaiter() throws Exception {
        DatabaseCap cap = new DatabaseCap(1);
        AtomicBoolean closed = new AtomicBoolean();
        cap.watch(cap.acquire("k", 0, "HikariCP"), connection(closed));
        Thread closer = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException ignored) {
            }
            closed.set(true); // the existing pool closes it; nobody tells the cap
        });
        closer.start();
        DatabaseCap.Permit p = cap.acquire("k", Long.MAX_VALUE, "HikariCP");
        assertEquals(1, cap.held("k"));
        cap.release(p);
        cap.release(p); // twice: no effect
        assertEquals(0, cap.held("k"));
        closer.join();
    }

    @Test
    void aDroppedPassThroughConnectionFreesItsPermitAfterCollection() throws Exception {
        DatabaseCap cap = new DatabaseCap(1);
        cap.watch(cap.acquire("k", 0, "HikariCP"), connection(new AtomicBoolean()));
        long deadline = System.nanoTime() + 30_000_000_000L;
        DatabaseCap.Permit p = null;
        while (p == null && System.nanoTime() < deadline) {
            System.gc();
            try {
                p = cap.acquire("k", 100_000_000L, "HikariCP");
            } catch (DatabaseCap.Exceeded stillHeld) {
                // collect again
            }
        }
        assertTrue(p != null, "the permit of a collected connection must come back");
    }
    /** Opens stub connections under the cap, as the registry's factory does, and frees the permit on close. */
    private static final class CappedStubs implements ConnectionFactory {
        private final DatabaseCap cap;
        private final String key;
        private final String owner;
        private final Map<Connection, DatabaseCap.Permit> permits = new IdentityHashMap<>();

        CappedStubs(DatabaseCap cap, String key, String owner) {
            this.cap = cap;
            this.key = key;
            this.owner = owner;
        }

        @Override
        public synchronized Connection open(long waitNanos) throws SQLException {
            DatabaseCap.Permit permit = cap.acquire(key, waitNanos, owner);
            Connection c = TestPools.stubConnection();
            permits.put(c, permit);
            return c;
        }

        @Override
        public synchronized void closed(Connection physical) {
            cap.release(permits.remove(physical));
        }
    }

    @Test
    void minIdleOfTwoPoolsOverTheCapDoesNotCloseAndReopenConnectionsOnEveryPassButABorrowerStillGetsOne()
            throws SQLException {
        String key = "db:5432/app";
        DatabaseCap cap = new DatabaseCap(2, true);
        PoolSettings minIdleTwo = new PoolSettings(2, TimeUnit.SECONDS.toNanos(5), 5, 0, 0, 2, null, 0, 0);
        ConnectionPool a = new ConnectionPool("a@" + key, key, minIdleTwo, new CappedStubs(cap, key, "a"), "org.postgresql.");
        ConnectionPool b = new ConnectionPool("b@" + key, key, minIdleTwo, new CappedStubs(cap, key, "b"), "org.postgresql.");
        cap.register(key, a);
        cap.register(key, b);

        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            for (int pass = 0; pass < 3; pass++) {
                TestPools.housekeep(a);
                TestPools.housekeep(b);
            }
        } finally {
            System.setErr(err);
        }
        assertEquals("", log.toString(java.nio.charset.StandardCharsets.UTF_8),
                "a top-up that finds the cap full is no timeout to warn about");
        // min_idle is a wish, not a claim on another pool's connections: whoever opened first keeps them.
        assertEquals(2, a.createdCount());
        assertEquals(0, a.closedCount(), "min_idle top-ups of b must not close a's idle connections");
        assertEquals(0, b.createdCount());
        assertEquals(2, cap.held(key));

        // A borrower does wait under the cap, and may have an idle connection of another pool closed for it.
        Connection c = b.borrow();
        assertEquals(1, a.closedCount());
        assertEquals(2, cap.held(key));
        c.close();
    }
}
