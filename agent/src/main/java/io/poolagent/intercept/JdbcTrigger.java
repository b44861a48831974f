package io.poolagent.intercept;

import io.poolagent.config.AgentConfig;
import io.poolagent.log.AgentLog;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps Byte Buddy off the start-up path: a transformer that only compares class names, and installs the real
 * interception when {@code java.sql.DriverManager} is first loaded. Every JDBC driver registers itself with
 * DriverManager in its static initialiser, so no connection can be made before this fires. A JVM that never
 * touches JDBC pays one string comparison per class load.
 */
public final class JdbcTrigger implements ClassFileTransformer {

    private static final String TRIGGER = "java/sql/DriverManager";

    private final Instrumentation inst;
    private final AgentConfig config;
    private final AtomicBoolean fired = new AtomicBoolean();

    private JdbcTrigger(Instrumentation inst, AgentConfig config) {
        this.inst = inst;
        this.config = config;
    }

    public static void arm(Instrumentation inst, AgentConfig config) {
        JdbcTrigger trigger = new JdbcTrigger(inst, config);
        // Registered as retransform-capable, in the same pass as Byte Buddy's transformer: a transformer added
        // while a class loads is not applied to that class, so the trigger applies it itself (see transform).
        inst.addTransformer(trigger, true);
        if (alreadyLoaded(inst)) {
            // Dynamic attach, or another agent loaded DriverManager first: install now and retransform.
            if (trigger.fired.compareAndSet(false, true)) {
                inst.removeTransformer(trigger);
                Installer.install(inst, config, true);
            }
        }
    }

    private static boolean alreadyLoaded(Instrumentation inst) {
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getName().equals("java.sql.DriverManager")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain domain, byte[] bytes) {
        if (!TRIGGER.equals(className) || classBeingRedefined != null || !fired.compareAndSet(false, true)) {
            return null;
        }
        try {
            inst.removeTransformer(this);
            ClassFileTransformer installed = Installer.install(inst, config, false);
            return installed == null ? null
                    : installed.transform(module, loader, className, null, domain, bytes);
        } catch (Throwable t) {
            AgentLog.error("pool-agent could not install its JDBC interception and stands aside: " + t);
            return null;
        }
    }
}
