package io.poolagent.pool;

import io.poolagent.log.AgentLog;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.dynamic.loading.MultipleParentClassLoader;
import net.bytebuddy.dynamic.scaffold.subclass.ConstructorStrategy;
import net.bytebuddy.implementation.MethodCall;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

import java.lang.reflect.Modifier;
import java.sql.Connection;
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

    /**
     * The factory of each physical connection class; computed once per class. A factory rather than a
     * MethodHandle: each PoolEntry keeps its factory in a final field, so a pool whose connections are of one class
     * calls one implementation, and the JIT inlines the constructor into borrow(). (With nothing watching handles,
     * leak detection and abandon_timeout off, a handle that does not outlive the caller's method then need not be
     * allocated at all.)
     */
    private static final ClassValue<PooledConnection.Factory> FACTORIES = new ClassValue<>() {
        @Override
        protected PooledConnection.Factory computeValue(Class<?> physicalClass) {
            return factoryFor(physicalClass);
        }
    };

    private ConnectionHandles() {
    }

    /** How to make handles for {@code physical}; looked up once per physical connection, when it is opened. */
    static PooledConnection.Factory factory(Connection physical) {
        return FACTORIES.get(physical.getClass());
    }

    private static PooledConnection.Factory factoryFor(Class<?> physicalClass) {
        List<Class<?>> extra = extraInterfaces(physicalClass);
        if (extra.isEmpty()) {
            return PooledConnection::new;
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
            // The factory is generated too, in a child of the handle class's loader: a plain `new` of the handle
            // class, which the JIT can inline where a reflective or MethodHandle constructor call it could not.
            Class<? extends PooledConnection.Factory> factoryClass = new ByteBuddy()
                    .subclass(PooledConnection.Factory.class)
                    .name(handleClass.getName() + "$Factory")
                    .method(named("create"))
                    .intercept(MethodCall.construct(
                            handleClass.getConstructor(ConnectionPool.class, PoolEntry.class)).withAllArguments())
                    .make()
                    .load(handleClass.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER)
                    .getLoaded();
            return factoryClass.getConstructor().newInstance();
        } catch (Throwable t) {
            AgentLog.warn("pooled connections of " + physicalClass.getName()
                    + " implement java.sql.Connection only (cannot generate a handle for " + extra + ")", t);
            return PooledConnection::new;
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
