package io.poolagent.telemetry;

import io.poolagent.log.AgentLog;
import io.poolagent.pool.ConnectionPool;
import io.poolagent.pool.PoolEvents;
import io.poolagent.telemetry.otel.OtelPoolEvents;

import java.lang.ref.WeakReference;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One pool's telemetry: forwards the pool's events to an OpenTelemetry binding once one is found, and does nothing
 * (one field read per event, no allocation) until then.
 *
 * <p>An application may register its SDK after its first connection (a framework that wires the database first).
 * So while unbound, the pool looks again at its slow-path events (a wait, a connection open, a timeout), at most
 * once per {@link #RECHECK_NANOS}. Borrows that find an idle connection never look: they stay as cheap as without
 * telemetry.
 */
final class PoolTelemetry implements PoolEvents {

    static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ConnectionPool pool;
    private final boolean traceAllBorrows;
    private final List<WeakReference<ClassLoader>> applicationLoaders;
    /** Taken with tryLock only: a thread that finds another binding goes on without waiting. */
    private final ReentrantLock binding = new ReentrantLock();
    /** Null until an OpenTelemetry is found; then fixed. */
    private volatile PoolEvents bound;
    private volatile long nextCheckNanos;

    PoolTelemetry(ConnectionPool pool, boolean traceAllBorrows, List<WeakReference<ClassLoader>> applicationLoaders) {
        this.pool = pool;
        this.traceAllBorrows = traceAllBorrows;
        this.applicationLoaders = applicationLoaders;
    }

    /** Whether an OpenTelemetry was found; for tests. */
    boolean isBound() {
        return bound != null;
    }

    /** Looks for an OpenTelemetry to report to: the javaagent's, else the application's. */
    void tryBind() {
        if (bound != null || !binding.tryLock()) {
            return;
        }
        try {
            nextCheckNanos = System.nanoTime() + RECHECK_NANOS;
            Object agents = BundledOpenTelemetry.ifSet();
            if (agents != null) {
                bound = OtelPoolEvents.create(agents, pool, traceAllBorrows);
                AgentLog.info("pool " + pool.name() + " reports metrics and spans to OpenTelemetry (the"
                        + " OpenTelemetry javaagent's)");
                return;
            }
            for (WeakReference<ClassLoader> ref : applicationLoaders) {
                ClassLoader loader = ref.get();
                Class<?> global = loader == null ? null : Telemetry.applicationGlobal(loader);
                PoolEvents events = global != null && isSet(global) ? bindToApplication(global) : null;
                if (events != null) {
                    bound = events;
                    AgentLog.info("pool " + pool.name() + " reports metrics and spans to OpenTelemetry (the"
                            + " application's GlobalOpenTelemetry)");
                    return;
                }
            }
        } catch (Throwable t) {
            // Telemetry must never break the pool: say why once and stop looking.
            nextCheckNanos = Long.MAX_VALUE;
            // Binding calls the application's API reflectively: its own error is the cause, not the wrapper.
            Throwable why = t instanceof InvocationTargetException && t.getCause() != null ? t.getCause() : t;
            AgentLog.warn("OpenTelemetry for pool " + pool.name() + " could not be set up; the pool works without it",
                    why);
        } finally {
            binding.unlock();
        }
    }

    /** Our events linked to the application's API, or null when its global is only a no-op. */
    private PoolEvents bindToApplication(Class<?> global) throws ReflectiveOperationException {
        ClassLoader loader = ApplicationApiLoader.forApi(global.getClassLoader());
        Class<?> impl = Class.forName(OtelPoolEvents.class.getName(), true, loader);
        Object openTelemetry = global.getMethod("get").invoke(null);
        if ((Boolean) impl.getMethod("isNoop", Object.class).invoke(null, openTelemetry)) {
            return null; // the application asked for its global before registering an SDK, or never will
        }
        Method create = impl.getMethod("create", Object.class, ConnectionPool.class, boolean.class);
        return (PoolEvents) create.invoke(null, openTelemetry, pool, traceAllBorrows);
    }

    /**
     * Whether the application registered an OpenTelemetry, without side effects: get() would install a no-op for
     * good. APIs before 1.57 have no isSet(); their field is read instead.
     */
    static boolean isSet(Class<?> global) throws ReflectiveOperationException {
        Method isSet;
        try {
            isSet = global.getMethod("isSet");
        } catch (NoSuchMethodException old) {
            Field field = global.getDeclaredField("globalOpenTelemetry");
            field.setAccessible(true);
            return field.get(null) != null;
        }
        return (Boolean) isSet.invoke(null);
    }

    private PoolEvents boundOrRecheck() {
        PoolEvents b = bound;
        if (b == null && System.nanoTime() - nextCheckNanos >= 0) {
            tryBind();
            b = bound;
        }
        return b;
    }

    // Hot path: a field read when unbound.

    @Override
    public boolean active() {
        return bound != null;
    }

    @Override
    public Object borrowContext() {
        PoolEvents b = bound;
        return b == null ? null : b.borrowContext();
    }

    @Override
    public void borrowed(long waitNanos) {
        PoolEvents b = bound;
        if (b != null) {
            b.borrowed(waitNanos);
        }
    }

    @Override
    public void returned(long heldNanos) {
        PoolEvents b = bound;
        if (b != null) {
            b.returned(heldNanos);
        }
    }

    // Slow path: may look for an OpenTelemetry again.

    @Override
    public Object waitStarted() {
        PoolEvents b = boundOrRecheck();
        return b == null ? null : b.waitStarted();
    }

    @Override
    public void waitEnded(Object token, long waitNanos, SQLException failure) {
        PoolEvents b = bound;
        if (b != null) {
            b.waitEnded(token, waitNanos, failure);
        }
    }

    @Override
    public void timedOut(long waitNanos) {
        PoolEvents b = boundOrRecheck();
        if (b != null) {
            b.timedOut(waitNanos);
        }
    }

    @Override
    public Object createStarted() {
        PoolEvents b = boundOrRecheck();
        return b == null ? null : b.createStarted();
    }

    @Override
    public void createEnded(Object token, long createNanos, SQLException failure) {
        PoolEvents b = bound;
        if (b != null) {
            b.createEnded(token, createNanos, failure);
        }
    }

    @Override
    public void leakReported(Object context, String report) {
        PoolEvents b = boundOrRecheck();
        if (b != null) {
            b.leakReported(context, report);
        }
    }
}
