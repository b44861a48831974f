package io.poolagent.telemetry;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Lets our OpenTelemetry code talk to the application's own OpenTelemetry API (and so to the SDK the application
 * registered) instead of the copy bundled in the agent's loader, which that SDK never sees.
 *
 * <p>A small loader per application API: {@code io.opentelemetry.*} comes from the loader that defined the
 * application's {@code GlobalOpenTelemetry}, the classes of {@link #OWN} are defined here again from the agent's
 * bytes (so that they link against that API), and everything else, the pool included, from the agent's loader.
 */
final class ApplicationApiLoader extends ClassLoader {

    static {
        registerAsParallelCapable();
    }

    /** The package of the code compiled against the OpenTelemetry API. */
    static final String OWN = "io.poolagent.telemetry.otel.";

    /** One loader per application API loader, so that pools reporting to the same SDK share classes. */
    private static final Map<ClassLoader, ApplicationApiLoader> LOADERS = new WeakHashMap<>();

    private final ClassLoader api;

    private ApplicationApiLoader(ClassLoader api, ClassLoader agent) {
        super("pool-agent-otel", agent);
        this.api = api;
    }

    static synchronized ApplicationApiLoader forApi(ClassLoader api) {
        return LOADERS.computeIfAbsent(api, a -> new ApplicationApiLoader(a, ApplicationApiLoader.class.getClassLoader()));
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                if (name.startsWith("io.opentelemetry.")) {
                    c = api.loadClass(name);
                } else if (name.startsWith(OWN)) {
                    c = defineOwn(name);
                } else {
                    c = getParent().loadClass(name);
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    private Class<?> defineOwn(String name) throws ClassNotFoundException {
        // The agent's loader serves its classes' bytes as resources (see AgentClassLoader.findResource).
        try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
            if (in == null) {
                throw new ClassNotFoundException(name);
            }
            byte[] bytes = in.readAllBytes();
            return defineClass(name, bytes, 0, bytes.length);
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
    }
}
