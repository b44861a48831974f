package io.poolagent.intercept;

import io.poolagent.config.AgentConfig;
import io.poolagent.log.AgentLog;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.utility.JavaModule;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.security.ProtectionDomain;
import java.sql.Connection;
import java.sql.Driver;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Installs the interception: defines the bridge in module java.sql, hooks {@code DriverManager.registerDriver} so
 * every driver is known the moment it registers, and instruments each registered driver's {@code connect}.
 *
 * <p>Drivers are instrumented by retransforming exactly the classes that registered, rather than by matching every
 * class the JVM loads against {@code java.sql.Driver}: that keeps the cost of the agent on other class loads to a
 * name comparison.
 */
public final class Installer {

    private static final String DRIVER_MANAGER = "java.sql.DriverManager";

    private final Instrumentation inst;
    /** Classes that declare a registered driver's connect method. */
    private final Set<Class<?>> driverClasses = ConcurrentHashMap.newKeySet();
    /** The pooled DataSource classes (by name), whose getConnection methods we instrument as they load. */
    private final DataSourceClasses dataSources;
    /**
     * Superclasses of pooled DataSource classes, noted when such a class loads (its superclasses load right after
     * it): a getConnection it inherits is instrumented there, and the advice checks the instance's class.
     */
    private final Set<String> dataSourceAncestors = ConcurrentHashMap.newKeySet();

    private Installer(Instrumentation inst, DataSourceClasses dataSources) {
        this.inst = inst;
        this.dataSources = dataSources;
    }

    /**
     * Returns Byte Buddy's transformer, or null when the agent must stand aside. With {@code retransformExisting},
     * DriverManager and already-loaded drivers are instrumented now (dynamic attach, or another agent loaded JDBC
     * first); otherwise the caller is loading DriverManager and applies the returned transformer to it.
     */
    static ClassFileTransformer install(Instrumentation inst, AgentConfig config, DataSourceClasses dataSources,
                                        boolean retransformExisting) {
        Class<?> bridge = defineBridge(inst);
        if (bridge == null) {
            return null;
        }
        Installer installer = new Installer(inst, dataSources);
        ResettableClassFileTransformer transformer = installer.installByteBuddy();
        try {
            // Set reflectively: a typed assignment here would make the verifier load the bridge's Hook interface
            // before defineBridge has run.
            bridge.getField("hook").set(null, ConnectionRouter.create(config, installer));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        if (retransformExisting) {
            installer.retransformLoadedJdbc();
        }
        return transformer;
    }

    /**
     * Defines {@code java.sql.PoolAgentBridge} in module java.sql. Opening the package to us and defining the class
     * through a private lookup uses supported APIs only, and unlike appending to the boot class path it leaves
     * class-data sharing intact.
     */
    private static Class<?> defineBridge(Instrumentation inst) {
        Module javaSql = Connection.class.getModule();
        try {
            Class.forName("java.sql.PoolAgentBridge", false, ClassLoader.getPlatformClassLoader());
            AgentLog.warn("another pool-agent is already active in this JVM (loaded twice?); this copy stands aside");
            return null;
        } catch (ClassNotFoundException expected) {
            // not defined yet: we are the first
        }
        inst.redefineModule(javaSql, Set.of(), Map.of(), Map.of("java.sql", Set.of(Installer.class.getModule())),
                Set.of(), Map.of());
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(Connection.class, MethodHandles.lookup());
            lookup.defineClass(classBytes("java/sql/PoolAgentBridge$Hook"));
            return lookup.defineClass(classBytes("java/sql/PoolAgentBridge"));
        } catch (IllegalAccessException | IOException e) {
            throw new IllegalStateException("cannot define the JDBC bridge in module java.sql", e);
        }
    }

    private static byte[] classBytes(String internalName) throws IOException {
        try (InputStream in = Installer.class.getClassLoader().getResourceAsStream(internalName + ".class")) {
            if (in == null) {
                throw new IOException("missing from the agent jar: " + internalName);
            }
            return in.readAllBytes();
        }
    }

    private ResettableClassFileTransformer installByteBuddy() {
        AgentBuilder builder;
        // Byte Buddy's Nexus set-up touches sun.misc.Unsafe, which JDK 24+ warns about; advice needs no Nexus.
        String nexus = System.getProperty("net.bytebuddy.nexus.disabled");
        System.setProperty("net.bytebuddy.nexus.disabled", "true");
        try {
            builder = new AgentBuilder.Default();
        } finally {
            if (nexus == null) {
                System.clearProperty("net.bytebuddy.nexus.disabled");
            } else {
                System.setProperty("net.bytebuddy.nexus.disabled", nexus);
            }
        }
        return builder
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(new ErrorListener())
                // Byte Buddy ignores the platform loader by default, and DriverManager lives there.
                .ignore(new NotOurs())
                .type(named(DRIVER_MANAGER))
                .transform((b, type, loader, module, domain) -> b
                        .visit(Advice.to(RegisterDriverAdvice.class)
                                .on(named("registerDriver").and(takesArguments(2))))
                        // the private overload all public getConnection methods funnel into, with their caller
                        .visit(Advice.to(DriverManagerConnectAdvice.class)
                                .on(named("getConnection").and(isPrivate()).and(takesArguments(3))))
                        .visit(Advice.to(DriverManagerUserConnectAdvice.class)
                                .on(named("getConnection").and(isPublic())
                                        .and(takesArguments(String.class, String.class, String.class)))))
                .type((type, loader, module, redefined, domain) -> redefined != null && driverClasses.contains(redefined))
                .transform((b, type, loader, module, domain) -> b.visit(Advice.to(DriverConnectAdvice.class)
                        .on(named("connect").and(takesArguments(String.class, Properties.class)).and(not(isAbstract())))))
                .type((type, loader, module, redefined, domain) -> isDataSourceType(type))
                .transform((b, type, loader, module, domain) -> b
                        .visit(Advice.to(DataSourceConnectAdvice.class).on(named("getConnection")
                                .and(takesArguments(0)).and(returns(Connection.class)).and(not(isAbstract()))))
                        .visit(Advice.to(DataSourceUserConnectAdvice.class).on(named("getConnection")
                                .and(takesArguments(String.class, String.class)).and(returns(Connection.class))
                                .and(not(isAbstract())))))
                .installOn(inst);
    }

    /**
     * A pooled DataSource class, or a superclass of one. Naming a pooled class notes its superclasses, which the
     * JVM loads right after it, read from class files without loading them.
     */
    private boolean isDataSourceType(TypeDescription type) {
        String name = type.getName();
        if (dataSourceAncestors.contains(name)) {
            return true;
        }
        if (!dataSources.names().contains(name)) {
            return false;
        }
        try {
            for (TypeDescription.Generic s = type.getSuperClass(); s != null; s = s.asErasure().getSuperClass()) {
                String superName = s.asErasure().getName();
                if (superName.startsWith("java.") || superName.startsWith("javax.")) {
                    break;
                }
                dataSourceAncestors.add(superName);
            }
        } catch (RuntimeException e) {
            AgentLog.debug("cannot read the superclasses of " + name + ": " + e);
        }
        return true;
    }

    /** Called when a driver registers: instrument the class that implements its connect. */
    void instrument(Driver driver) {
        Class<?> declaring;
        try {
            Method connect = driver.getClass().getMethod("connect", String.class, Properties.class);
            declaring = connect.getDeclaringClass();
        } catch (NoSuchMethodException impossible) {
            return;
        }
        if (declaring.isInterface() || Modifier.isAbstract(declaring.getModifiers()) || !driverClasses.add(declaring)) {
            return;
        }
        try {
            inst.retransformClasses(declaring);
            AgentLog.debug("instrumented " + declaring.getName() + ".connect");
        } catch (Throwable t) {
            driverClasses.remove(declaring);
            AgentLog.warn("cannot instrument JDBC driver " + declaring.getName() + "; its connections are not pooled", t);
        }
    }

    private void retransformLoadedJdbc() {
        for (Class<?> c : inst.getAllLoadedClasses()) {
            try {
                if (c.getName().equals(DRIVER_MANAGER)) {
                    inst.retransformClasses(c);
                } else if (dataSources.names().contains(c.getName())) {
                    for (Class<?> s = c.getSuperclass(); s != null && s.getClassLoader() != null
                            && !s.getName().startsWith("java"); s = s.getSuperclass()) {
                        dataSourceAncestors.add(s.getName());
                        inst.retransformClasses(s);
                    }
                    inst.retransformClasses(c);
                } else if (Driver.class.isAssignableFrom(c) && !c.isInterface()
                        && !Modifier.isAbstract(c.getModifiers()) && c.getClassLoader() != Installer.class.getClassLoader()) {
                    Method connect = c.getMethod("connect", String.class, Properties.class);
                    Class<?> declaring = connect.getDeclaringClass();
                    if (driverClasses.add(declaring)) {
                        inst.retransformClasses(declaring);
                    }
                }
            } catch (Throwable t) {
                AgentLog.warn("cannot instrument " + c.getName(), t);
            }
        }
    }

    /**
     * Everything but DriverManager, the registered drivers and the pooled DataSource classes passes through
     * untouched, after a name check.
     */
    private final class NotOurs implements AgentBuilder.RawMatcher {
        @Override
        public boolean matches(TypeDescription type, ClassLoader loader, JavaModule module, Class<?> redefined,
                               ProtectionDomain domain) {
            String name = type.getName();
            if (name.equals(DRIVER_MANAGER) || dataSources.names().contains(name)
                    || dataSourceAncestors.contains(name)) {
                return false;
            }
            return redefined == null || !driverClasses.contains(redefined);
        }
    }

    private static final class ErrorListener extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable t) {
            AgentLog.warn("cannot instrument " + typeName + "; its connections are not pooled", t);
        }
    }
}
