package io.poolagent.harness;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fires a burst of concurrent GETs: {@code concurrentClients} threads, each sending {@code requestsPerClient}
 * requests one after another. Every client is a platform thread blocked on a synchronous send, and all are released
 * together from a latch, so the first wave really is {@code concurrentClients} requests in flight at once (HTTP/1.1,
 * one connection each: the client's pool is unbounded).
 */
public final class LoadRunner {

    private final Duration requestTimeout;

    public LoadRunner() {
        this(Duration.ofSeconds(60));
    }

    public LoadRunner(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public LoadResult run(URI uri, int concurrentClients, int requestsPerClient) {
        // Unbounded, so no response handling ever queues behind another. Not shut down afterwards: the client may
        // still hand it connection clean-up work; its threads are daemons and idle out after a minute.
        ExecutorService httpExecutor = Executors.newCachedThreadPool(daemon("load-http"));
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30))
                .executor(httpExecutor)
                .build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET().build();

        CountDownLatch ready = new CountDownLatch(concurrentClients);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        List<List<LoadResult.Outcome>> perClient = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < concurrentClients; c++) {
            List<LoadResult.Outcome> mine = new ArrayList<>(requestsPerClient);
            perClient.add(mine);
            Thread t = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < requestsPerClient; i++) {
                    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    long t0 = System.nanoTime();
                    LoadResult.Outcome outcome;
                    try {
                        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                        outcome = new LoadResult.Outcome(r.statusCode(), r.body(), System.nanoTime() - t0);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    } catch (Exception e) {
                        outcome = new LoadResult.Outcome(-1, e.toString(), System.nanoTime() - t0);
                    } finally {
                        inFlight.decrementAndGet();
                    }
                    mine.add(outcome);
                }
            }, "load-client-" + c);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }

        try {
            ready.await();
            long start = System.nanoTime();
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            List<LoadResult.Outcome> all = new ArrayList<>();
            perClient.forEach(all::addAll); // safe: join() orders each client's writes before this read
            return new LoadResult(all, elapsed, maxInFlight.get());
        } catch (InterruptedException e) {
            threads.forEach(Thread::interrupt);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during load", e);
        }
    }

    static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
