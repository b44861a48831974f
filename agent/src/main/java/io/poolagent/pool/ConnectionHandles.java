package io.poolagent.pool;

import io.poolagent.log.AgentLog;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.dynamic.loading.MultipleParentClassLoader;
import net.bytebuddy.dynamic.scaffold.subclass.ConstructorStrategy;
import net.bytebuddy.implementation.MethodCall;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;

/**
 * Makes the handle the application receives for a physical connection. When the driver's connection class
 * implements interfaces beyond java.sql.Connection (pgjdbc's PGConnection and BaseConnection, say), applications
 * cast to them; so, once per connection class, a subclass of {@link PooledConnection} is generated that implements
 * them too, each method delegating to the physical connection through {@link PooledConnection#physical()} (so a
 * closed handle still refuses). Drivers with nothing extra get a plain PooledConnection.
 */
final class ConnectionHandles {

    private static final MethodType SIGNATURE = MethodType.methodType(PooledConnection.class, ConnectionPool.class,
            PoolEntry.class);
    private static final MethodHandle PLAIN;

    static {
        try {
            PLAIN = MethodHandles.lookup().findConstructor(PooledConnection.class,
                    MethodType.methodType(void.class, ConnectionPool.class, PoolEntry.class)).asType(SIGNATURE);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The constructor of the handle class for each physical connection class; computed once per class. */
    private static final ClassValue<MethodHandle> CONSTRUCTORS = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> physicalClass) {
            return constructorFor(physicalClass);
        }
    };

    private ConnectionHandles() {
    }

    static PooledConnection create(ConnectionPool pool, PoolEntry entry) {
        MethodHandle constructor = CONSTRUCTORS.get(entry.physical.getClass());
        try {
            return (PooledConnection) constructor.invokeExact(pool, entry);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static MethodHandle constructorFor(Class<?> physicalClass) {
        List<Class<?>> extra = extraInterfaces(physicalClass);
        if (extra.isEmpty()) {
            return PLAIN;
        }
        try {
            ClassLoader parents = new MultipleParentClassLoader.Builder(false)
                    .append(PooledConnection.class, physicalClass).append(extra).build();
            Class<?> handleClass = new ByteBuddy()
                    .subclass(PooledConnection.class, ConstructorStrategy.Default.IMITATE_SUPER_CLASS_PUBLIC)
                    .name(PooledConnection.class.getName() + "$For$" + physicalClass.getName().replace('.', '$'))
                    .implement(extra)
                    .method(isAbstract())
                    .intercept(MethodCall.invokeSelf()
                            .onMethodCall(MethodCall.invoke(named("physical")))
                            .withAllArguments()
                            .withAssigner(Assigner.DEFAULT, Assigner.Typing.DYNAMIC))
                    .make()
                    .load(parents, ClassLoadingStrategy.Default.WRAPPER)
                    .getLoaded();
            return MethodHandles.publicLookup().findConstructor(handleClass,
                    MethodType.methodType(void.class, ConnectionPool.class, PoolEntry.class)).asType(SIGNATURE);
        } catch (Throwable t) {
            AgentLog.warn("pooled connections of " + physicalClass.getName()
                    + " implement java.sql.Connection only (cannot generate a handle for " + extra + ")", t);
            return PLAIN;
        }
    }

    /** Public interfaces of the connection class that a plain PooledConnection does not implement. */
    private static List<Class<?>> extraInterfaces(Class<?> physicalClass) {
        Set<Class<?>> all = new LinkedHashSet<>();
        for (Class<?> c = physicalClass; c != null; c = c.getSuperclass()) {
            collect(c.getInterfaces(), all);
        }
        List<Class<?>> extra = new ArrayList<>();
        for (Class<?> i : all) {
            if (!i.isAssignableFrom(PooledConnection.class) && Modifier.isPublic(i.getModifiers())) {
                extra.add(i);
            }
        }
        return extra;
    }

    private static void collect(Class<?>[] interfaces, Set<Class<?>> into) {
        for (Class<?> i : interfaces) {
            if (into.add(i)) {
                collect(i.getInterfaces(), into);
            }
        }
    }
}
