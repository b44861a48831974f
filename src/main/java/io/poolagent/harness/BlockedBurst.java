package io.poolagent.harness;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A burst of requests that all stall behind one lock, as an app's requests do behind a long migration or batch job:
 * the test holds a PostgreSQL advisory lock, fires the requests (each waits for the lock on its own connection),
 * waits until the number of the app's server connections stops growing, then releases the lock.
 *
 * <p>Unlike requests that merely sleep, this piles connections up however fast or slow the server accepts them,
 * so an unpooled app reliably runs into max_connections (53300) on any machine.
 */
public final class BlockedBurst {

    /** The advisory lock key the app's {@code /work?lock=} waits for. */
    public static final long LOCK_KEY = 4242;
    private static final Duration PLATEAU = Duration.ofSeconds(2);
    private static final Duration MAX_PILE_UP = Duration.ofSeconds(90);

    /** What the burst did: the requests' outcomes and the most app connections the server held at once. */
    public record Result(LoadResult load, int piledUp) {
    }

    private BlockedBurst() {
    }

    public static Result run(TestDatabase db, AppUnderTest app, ConnectionSampler sampler, int clients)
            throws SQLException, InterruptedException {
        try (Connection holder = db.openAdmin(); Statement st = holder.createStatement()) {
            st.execute("SELECT pg_advisory_lock(" + LOCK_KEY + ")");
            sampler.reset();
            CompletableFuture<LoadResult> load = CompletableFuture.supplyAsync(() ->
                    new LoadRunner(Duration.ofMinutes(5)).run(app.uri("/work?hold_ms=0&lock=" + LOCK_KEY), clients, 1));
            int piledUp = awaitPlateau(sampler, load);
            st.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
            try {
                return new Result(load.get(), Math.max(piledUp, sampler.peak()));
            } catch (ExecutionException e) {
                throw new IllegalStateException("the burst failed", e.getCause());
            }
        }
    }

    /** Waits until the app's connection count has not grown for a while (or every request already finished). */
    private static int awaitPlateau(ConnectionSampler sampler, CompletableFuture<?> load) throws InterruptedException {
        long deadline = System.nanoTime() + MAX_PILE_UP.toNanos();
        int seen = -1;
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline && !load.isDone()) {
            int now = sampler.last();
            if (now != seen) {
                seen = now;
                stableSince = System.nanoTime();
            } else if (now > 0 && System.nanoTime() - stableSince >= PLATEAU.toNanos()) {
                break;
            }
            Thread.sleep(50);
        }
        return sampler.peak();
    }
}
