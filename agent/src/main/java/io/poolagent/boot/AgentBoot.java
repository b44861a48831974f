package io.poolagent.boot;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.nio.file.Path;

/**
 * The agent's entry point: the only class of pool-agent on the application's class path.
 *
 * <p>Under JAVA_TOOL_OPTIONS it runs in every JVM of a container (keytool, jshell, build tools), so it uses java.base
 * only, decides in microseconds whether to stand aside, and never throws: an exception out of premain aborts the JVM.
 * Everything else, Byte Buddy included, lives in {@link AgentClassLoader}, hidden from the application.
 */
public final class AgentBoot {

    private static final String PREFIX = "[pool-agent] ";

    private AgentBoot() {
    }

    public static void premain(String args, Instrumentation inst) {
        start(args, inst);
    }

    /** Dynamic attach takes the same path; connections opened before the attach stay unpooled. */
    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst);
    }

    private static void start(String args, Instrumentation inst) {
        try {
            if (disabled(args)) {
                return;
            }
            // JDK tools started from a named module (keytool, jcmd, jar, jshell) have no java.sql in the boot
            // layer; linking any java.sql type there would kill them with NoClassDefFoundError.
            if (ModuleLayer.boot().findModule("java.sql").isEmpty() || isToolMain(System.getProperty("sun.java.command"))) {
                return;
            }
            ClassLoader loader = new AgentClassLoader(agentJar());
            Class<?> main = Class.forName("io.poolagent.AgentMain", true, loader);
            Method m = main.getMethod("start", Instrumentation.class, String.class);
            m.invoke(null, inst, args);
        } catch (Throwable t) {
            // Never rethrow: a broken agent must not take the application down with it.
            System.err.println(PREFIX + "ERROR pool-agent could not start and stands aside (connections are not pooled): " + t);
        }
    }

    /**
     * The jar this premain came from, normally. But when the application's class path also carries the agent's
     * classes (a fat jar bundling them, say), the JVM loads this class from there; then the agent jar is the other
     * copy of this class the system loader can see (the JVM appends -javaagent jars to its search path) that holds
     * the isolated classes.
     */
    static Path agentJar() throws Exception {
        Path own = Path.of(AgentBoot.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (AgentClassLoader.isAgentJar(own)) {
            return own;
        }
        String self = AgentBoot.class.getName().replace('.', '/') + ".class";
        java.util.Enumeration<java.net.URL> copies = ClassLoader.getSystemClassLoader().getResources(self);
        while (copies.hasMoreElements()) {
            java.net.URL url = copies.nextElement();
            String spec = url.toString();
            if (spec.startsWith("jar:file:") && spec.contains("!/")) {
                Path candidate = Path.of(new java.net.URI(spec.substring("jar:".length(), spec.indexOf("!/"))));
                if (AgentClassLoader.isAgentJar(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("cannot find the agent jar (looked in " + own + " and the class path)");
    }

    /** The escape hatch, read before anything else is loaded: enabled=false in args, -D or environment. */
    static boolean disabled(String args) {
        if (args != null) {
            for (String part : args.split(",")) {
                if (part.trim().equalsIgnoreCase("enabled=false")) {
                    return true;
                }
            }
        }
        String prop = System.getProperty("poolagent.enabled");
        if (prop != null) {
            return prop.trim().equalsIgnoreCase("false");
        }
        String env = System.getenv("POOL_AGENT_ENABLED");
        return env != null && env.trim().equalsIgnoreCase("false");
    }

    /**
     * JDK tools and build launchers never want their JDBC pooled and should not pay for the agent. Their
     * {@code sun.java.command} starts with a module or class in a JDK or build-tool namespace, not with a jar.
     */
    static boolean isToolMain(String command) {
        if (command == null || command.isEmpty()) {
            return false;
        }
        int space = command.indexOf(' ');
        String main = space < 0 ? command : command.substring(0, space);
        if (main.endsWith(".jar")) {
            return false;
        }
        int slash = main.indexOf('/');
        if (slash >= 0) {
            main = main.substring(slash + 1); // module/class form
        }
        return main.startsWith("jdk.") || main.startsWith("sun.") || main.startsWith("com.sun.")
                || main.startsWith("java.") || main.startsWith("org.codehaus.plexus.classworlds.")
                || main.startsWith("org.gradle.");
    }
}
