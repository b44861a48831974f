package io.poolagent.pool;

import io.poolagent.config.PoolSettings;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The leak counter the metrics will read: one count per borrow held past the threshold (however often the
 * housekeeper looks), one per handle dropped without close(). Pool bookkeeping only, so the physical connection
 * is a stub; database behaviour is tested end to end in LeakTest.
 */
class LeakCountTest {

    private static ConnectionPool pool(long thresholdNanos) {
        PoolSettings settings = new PoolSettings(1, TimeUnit.SECONDS.toNanos(5), 5, 0, 0, 0, null, thresholdNanos, 0);
        return new ConnectionPool("test", null, settings, wait -> TestPools.stubConnection(), null);
    }

    @Test
    void aBorrowHeldPastTheThresholdCountsOnce() throws Exception {
        ConnectionPool pool = pool(TimeUnit.MILLISECONDS.toNanos(1));
        Connection held = pool.borrow();
        Thread.sleep(20);
        pool.housekeep();
        pool.housekeep();
        assertEquals(1, pool.leakCount());
        held.close();
        pool.borrow().close(); // short: not a leak
        pool.housekeep();
        assertEquals(1, pool.leakCount());
    }

    @Test
    void aDroppedHandleCountsAndItsConnectionComesBack() throws Exception {
        ConnectionPool pool = pool(TimeUnit.SECONDS.toNanos(60));
        dropOne(pool);
        for (int i = 0; i < 20 && pool.leakCount() == 0; i++) {
            System.gc();
            Thread.sleep(50);
            pool.housekeep();
        }
        assertEquals(1, pool.leakCount());
        // connection_limit=1: only a reclaimed connection lets this borrow through within pool_timeout
        Connection again = pool.borrow();
        assertTrue(!again.isClosed());
        again.close();
    }

    private static void dropOne(ConnectionPool pool) throws Exception {
        pool.borrow(); // never closed
    }
}
