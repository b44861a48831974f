package io.poolagent.pool;

import io.poolagent.config.PoolSettings;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Queued borrowers are served in the order they queued, and a borrower arriving while others wait queues behind
 * them: the thread that just returned a connection does not take it straight back. Pool bookkeeping only, so the
 * physical connection is a stub.
 */
class QueueFairnessTest {

    private static final int WAITERS = 6;

    @Test
    void waitersAreServedInArrivalOrderAheadOfTheReturningThread() throws Exception {
        PoolSettings settings = new PoolSettings(1, TimeUnit.SECONDS.toNanos(20), 5, 0, 0, 0, null, 0, 0);
        ConnectionPool pool = new ConnectionPool("test", null, settings, wait -> TestPools.stubConnection(), null);
        List<String> served = new CopyOnWriteArrayList<>();
        Connection held = pool.borrow();

        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < WAITERS; i++) {
            String name = "waiter-" + i;
            Thread t = new Thread(() -> {
                try (Connection c = pool.borrow()) {
                    served.add(name);
                } catch (Exception e) {
                    served.add(name + " failed: " + e);
                }
            }, name);
            t.start();
            awaitPending(pool, i + 1); // queued before the next one starts: the arrival order is known
            threads.add(t);
        }

        held.close();
        // This thread is running and just gave the connection back; it must still wait its turn.
        try (Connection again = pool.borrow()) {
            served.add("returner");
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(20));
        }

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < WAITERS; i++) {
            expected.add("waiter-" + i);
        }
        expected.add("returner");
        assertEquals(expected, served);
        assertEquals(0, pool.pendingCount());
    }

    private static void awaitPending(ConnectionPool pool, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pool.pendingCount() < n) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("only " + pool.pendingCount() + " of " + n + " borrowers queued in 10 s");
            }
            Thread.sleep(1);
        }
    }
}
