package io.poolagent.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** What a {@link LoadRunner} burst produced: per-request status and, for failures, the body. */
public final class LoadResult {

    /** One request: HTTP status (-1 when no response arrived), body, and latency. */
    public record Outcome(int status, String body, long nanos) {
        public boolean ok() {
            return status == 200;
        }
    }

    private final List<Outcome> outcomes;
    private final Duration elapsed;
    private final int maxInFlight;

    LoadResult(List<Outcome> outcomes, Duration elapsed, int maxInFlight) {
        this.outcomes = List.copyOf(outcomes);
        this.elapsed = elapsed;
        this.maxInFlight = maxInFlight;
    }

    public int total() {
        return outcomes.size();
    }

    public long ok() {
        return outcomes.stream().filter(Outcome::ok).count();
    }

    public long failed() {
        return total() - ok();
    }

    /** Failed requests whose body carries {@code SQLSTATE=<sqlState>}, e.g. failedWith("53300"). */
    public long failedWith(String sqlState) {
        String marker = "SQLSTATE=" + sqlState;
        return outcomes.stream().filter(o -> !o.ok() && o.body().contains(marker)).count();
    }

    /** Count of responses per HTTP status (-1: no response). */
    public Map<Integer, Long> statusCounts() {
        Map<Integer, Long> counts = new TreeMap<>();
        outcomes.forEach(o -> counts.merge(o.status(), 1L, Long::sum));
        return counts;
    }

    /** Up to {@code max} distinct failure bodies, in the order first seen. */
    public List<String> sampleFailures(int max) {
        Set<String> distinct = new LinkedHashSet<>();
        for (Outcome o : outcomes) {
            if (!o.ok() && distinct.size() < max) {
                distinct.add(o.status() + " " + o.body());
            }
        }
        return new ArrayList<>(distinct);
    }

    public List<String> sampleFailures() {
        return sampleFailures(5);
    }

    public List<Outcome> outcomes() {
        return outcomes;
    }

    /** From the moment all clients were released to the moment the last one finished. */
    public Duration elapsed() {
        return elapsed;
    }

    /** Completed requests (ok or not) per second of {@link #elapsed()}. */
    public double throughput() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : total() / seconds;
    }

    /** The most requests the clients had outstanding at once. */
    public int maxInFlight() {
        return maxInFlight;
    }

    /** Latency percentile in milliseconds, p in [0, 100]. */
    public double latencyMillis(double p) {
        if (outcomes.isEmpty()) {
            return 0;
        }
        long[] sorted = outcomes.stream().mapToLong(Outcome::nanos).toArray();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    public String summary() {
        return String.format(Locale.ROOT,
                "%d requests: %d ok, %d failed (%d with SQLSTATE 53300); %.0f req/s over %d ms; max in flight %d;"
                        + " p50 %.0f ms, p99 %.0f ms; statuses %s",
                total(), ok(), failed(), failedWith("53300"), throughput(), elapsed.toMillis(), maxInFlight,
                latencyMillis(50), latencyMillis(99), statusCounts());
    }

    @Override
    public String toString() {
        return summary();
    }
}
