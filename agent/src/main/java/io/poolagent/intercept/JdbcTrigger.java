package io.poolagent.intercept;

import io.poolagent.config.AgentConfig;
import io.poolagent.log.AgentLog;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps Byte Buddy off the start-up path: a transformer that only looks at class names, and installs the real
 * interception when {@code java.sql.DriverManager} or a pooled DataSource class (H2's JdbcDataSource, the classes
 * in pooled_datasources) is first loaded. Every JDBC driver registers itself with DriverManager in its static
 * initialiser, so no driver connection can be made before this fires; the DataSources that bypass drivers load
 * their own class first. A JVM that never touches JDBC pays one string comparison and a set lookup per class load.
 */
public final class JdbcTrigger implements ClassFileTransformer {

    private static final String TRIGGER = "java/sql/DriverManager";

    private final Instrumentation inst;
    private final AgentConfig config;
    private final AtomicBoolean fired = new AtomicBoolean();
    /** The DataSource classes to pool; they fire the trigger too. */
    private final DataSourceClasses dataSources;
    /** Their internal names (a/b/C), as transform sees them. */
    private final Set<String> dataSourceNames = new HashSet<>();
    /** Their binary names (a.b.C), as Class.getName() gives them: the already-loaded check allocates none. */
    private final Set<String> dataSourceClassNames;

    private JdbcTrigger(Instrumentation inst, AgentConfig config) {
        this.inst = inst;
        this.config = config;
        this.dataSources = DataSourceClasses.configure(config.pooledDataSources());
        this.dataSourceClassNames = dataSources.names();
        for (String name : dataSourceClassNames) {
            dataSourceNames.add(name.replace('.', '/'));
        }
    }

    public static void arm(Instrumentation inst, AgentConfig config) {
        JdbcTrigger trigger = new JdbcTrigger(inst, config);
        // Registered as retransform-capable, in the same pass as Byte Buddy's transformer: a transformer added
        // while a class loads is not applied to that class, so the trigger applies it itself (see transform).
        inst.addTransformer(trigger, true);
        if (alreadyLoaded(inst, trigger.dataSourceClassNames)) {
            // Dynamic attach, or another agent loaded DriverManager first: install now and retransform.
            if (trigger.fired.compareAndSet(false, true)) {
                inst.removeTransformer(trigger);
                Installer.install(inst, config, trigger.dataSources, true);
            }
        }
    }

    private static boolean alreadyLoaded(Instrumentation inst, Set<String> dataSourceClassNames) {
        for (Class<?> c : inst.getAllLoadedClasses()) {
            String name = c.getName();
            if (name.equals("java.sql.DriverManager") || dataSourceClassNames.contains(name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain domain, byte[] bytes) {
        if (classBeingRedefined != null || className == null
                || !(TRIGGER.equals(className) || dataSourceNames.contains(className))
                || !fired.compareAndSet(false, true)) {
            return null;
        }
        try {
            inst.removeTransformer(this);
            ClassFileTransformer installed = Installer.install(inst, config, dataSources, false);
            return installed == null ? null
                    : installed.transform(module, loader, className, null, domain, bytes);
        } catch (Throwable t) {
            AgentLog.error("pool-agent could not install its JDBC interception and stands aside: " + t);
            return null;
        }
    }
}
