package io.poolagent.telemetry;

import io.poolagent.config.AgentConfig;
import io.poolagent.pool.PoolEvents;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenTelemetry for pools: metrics with the semantic-convention names, spans for borrows that waited and for
 * connection opens, and leak reports tied to the trace that took the connection.
 *
 * <p>Which OpenTelemetry a pool reports to is decided when the pool is made, and again later while it has none
 * (see {@link PoolTelemetry}):
 * <ol>
 * <li>the OpenTelemetry javaagent's, when it runs beside us: it bridges the API copy bundled in our own class
 *     loader ({@link BundledOpenTelemetry});</li>
 * <li>else the one the application registered in its own {@code GlobalOpenTelemetry}, found through the class
 *     loaders of the code that opened the connection and of the thread's context ({@link ApplicationApiLoader});</li>
 * <li>else none: the pool's events cost a field read each.</li>
 * </ol>
 * Nothing here runs in premain: the first look happens when the first pool is made.
 */
public final class Telemetry {

    private static final String GLOBAL = "io.opentelemetry.api.GlobalOpenTelemetry";

    private Telemetry() {
    }

    /** The factory to install in the pool registry, or null when opentelemetry=false. */
    public static PoolEvents.Factory factory(AgentConfig config) {
        if (!config.openTelemetry()) {
            return null;
        }
        boolean traceAll = config.traceAllBorrows();
        return pool -> {
            PoolTelemetry telemetry = new PoolTelemetry(pool, traceAll, applicationLoaders());
            telemetry.tryBind();
            return telemetry;
        };
    }

    /**
     * The class loaders that may hold the application's OpenTelemetry API: those of the classes on the stack that
     * is opening the pool's first connection (the application's and its driver's), then the thread's context
     * loader. Pools are made rarely, so walking the stack here is cheap enough.
     */
    static List<WeakReference<ClassLoader>> applicationLoaders() {
        ClassLoader own = Telemetry.class.getClassLoader();
        ClassLoader platform = ClassLoader.getPlatformClassLoader();
        List<ClassLoader> found = new ArrayList<>();
        StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).forEach(frame -> {
            ClassLoader l = frame.getDeclaringClass().getClassLoader();
            if (l != null && l != own && l != platform && !found.contains(l)) {
                found.add(l);
            }
        });
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null && context != own && context != platform && !found.contains(context)) {
            found.add(context);
        }
        List<WeakReference<ClassLoader>> refs = new ArrayList<>(found.size());
        for (ClassLoader l : found) {
            refs.add(new WeakReference<>(l)); // a redeployed application's loader must stay collectable
        }
        return refs;
    }

    /** The application's GlobalOpenTelemetry class visible from a loader, or null (none, or our own copy). */
    static Class<?> applicationGlobal(ClassLoader loader) {
        try {
            Class<?> global = Class.forName(GLOBAL, false, loader);
            return global.getClassLoader() == Telemetry.class.getClassLoader() ? null : global;
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
