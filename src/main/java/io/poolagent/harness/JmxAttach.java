package io.poolagent.harness;

import com.sun.tools.attach.VirtualMachine;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;

/**
 * JMX into another JVM on this machine, as an operator's jconsole would do it: attach to the process (JDK attach
 * API), ask it to start its local management agent, and connect to the address it returns. Needs the attach
 * mechanism, which a JDK has; both JVMs must run as the same user.
 *
 * <pre>{@code
 * try (JmxAttach jmx = JmxAttach.to(app.jvm().pid())) {
 *     int active = (Integer) jmx.get(name, "Active");
 * }
 * }</pre>
 */
public final class JmxAttach implements AutoCloseable {

    private final JMXConnector connector;
    private final MBeanServerConnection server;

    private JmxAttach(JMXConnector connector) throws IOException {
        this.connector = connector;
        this.server = connector.getMBeanServerConnection();
    }

    public static JmxAttach to(long pid) {
        try {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            String address;
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
            return new JmxAttach(JMXConnectorFactory.connect(new JMXServiceURL(address)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot reach JVM " + pid + " over JMX through the attach API"
                    + " (a JDK, not a JRE, and the same user as the target are needed): " + e, e);
        }
    }

    public MBeanServerConnection server() {
        return server;
    }

    public Object get(ObjectName name, String attribute) {
        try {
            return server.getAttribute(name, attribute);
        } catch (Exception e) {
            throw new IllegalStateException("reading " + attribute + " of " + name + ": " + e, e);
        }
    }

    public long getLong(ObjectName name, String attribute) {
        return ((Number) get(name, attribute)).longValue();
    }

    public Object invoke(ObjectName name, String operation) {
        try {
            return server.invoke(name, operation, new Object[0], new String[0]);
        } catch (Exception e) {
            throw new IllegalStateException("invoking " + operation + " on " + name + ": " + e, e);
        }
    }

    @Override
    public void close() {
        try {
            connector.close();
        } catch (IOException ignored) {
            // the target may be gone already
        }
    }
}
