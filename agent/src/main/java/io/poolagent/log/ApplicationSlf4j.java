package io.poolagent.log;

import org.slf4j.event.Level;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * log_to=slf4j (off by default): the agent's lines go to the application's own slf4j, to a logger named
 * {@code pool-agent}, so they land wherever the application's logging sends its own.
 *
 * <p>The application's slf4j is found, by reflection only, in the context class loader of the application thread
 * that makes the first pool (a Spring Boot or servlet container loader, say), else in the system class loader. The
 * agent never links against it and never configures it. Lines logged before then (premain's) go to stderr, and so
 * does a line logged while one is being delivered (a JDBC appender's own connection failing, for instance).
 */
final class ApplicationSlf4j {

    private static final String LOGGER_NAME = "pool-agent";
    private static final ThreadLocal<Boolean> DELIVERING = new ThreadLocal<>();

    private static volatile ApplicationSlf4j target;
    /** One attempt per JVM, by the first pool's thread; no lock, so no thread ever waits here. */
    private static final AtomicBoolean ATTEMPTED = new AtomicBoolean();

    private final Object logger;
    private final MethodHandle error;
    private final MethodHandle warn;
    private final MethodHandle info;
    private final MethodHandle debug;

    private ApplicationSlf4j(Object logger, Class<?> loggerType) throws ReflectiveOperationException {
        this.logger = logger;
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        // (String, Throwable) exists in every slf4j version, 1.5 to 2.x; a null Throwable logs no exception
        MethodType type = MethodType.methodType(void.class, String.class, Throwable.class);
        this.error = lookup.findVirtual(loggerType, "error", type);
        this.warn = lookup.findVirtual(loggerType, "warn", type);
        this.info = lookup.findVirtual(loggerType, "info", type);
        this.debug = lookup.findVirtual(loggerType, "debug", type);
    }

    /** Finds the application's slf4j, on the first call only. Returns why not when it is not there. */
    static String connect(ClassLoader applicationLoader) {
        if (!ATTEMPTED.compareAndSet(false, true)) {
            return null;
        }
        Throwable failure = null;
        for (ClassLoader loader : new ClassLoader[] {applicationLoader, ClassLoader.getSystemClassLoader()}) {
            if (loader == null) {
                continue;
            }
            Boolean outer = DELIVERING.get();
            DELIVERING.set(Boolean.TRUE); // what the application's logging start-up makes us log goes to stderr
            try {
                Class<?> factory = Class.forName("org.slf4j.LoggerFactory", true, loader);
                Class<?> loggerType = Class.forName("org.slf4j.Logger", false, loader);
                Object logger = factory.getMethod("getLogger", String.class).invoke(null, LOGGER_NAME);
                String backend = factory.getMethod("getILoggerFactory").invoke(null).getClass().getName();
                if (backend.endsWith(".NOPLoggerFactory")) {
                    // slf4j-api without a binding discards everything: the lines would be lost
                    return "the application's slf4j has no logging backend (" + backend + ")";
                }
                target = new ApplicationSlf4j(logger, loggerType);
                return null;
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                failure = e;
            } finally {
                if (outer == null) {
                    DELIVERING.remove();
                }
            }
        }
        return failure instanceof ClassNotFoundException ? "the application has no slf4j-api" : String.valueOf(failure);
    }

    /** Hands the line to the application's logger; false when it is not connected or the line must go to stderr. */
    static boolean deliver(Level level, String message, Throwable throwable) {
        ApplicationSlf4j t = target;
        if (t == null || DELIVERING.get() != null) {
            return false;
        }
        DELIVERING.set(Boolean.TRUE);
        try {
            MethodHandle method = switch (level) {
                case ERROR -> t.error;
                case WARN -> t.warn;
                case INFO -> t.info;
                default -> t.debug;
            };
            method.invoke(t.logger, message, throwable);
            return true;
        } catch (Throwable e) {
            return false;
        } finally {
            DELIVERING.remove();
        }
    }
}
