package io.poolagent.jmx;

import io.poolagent.config.AgentConfig;
import io.poolagent.log.AgentLog;
import io.poolagent.pool.ConnectionPool;
import io.poolagent.pool.PoolRegistry;

import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import java.lang.management.ManagementFactory;
import java.util.Map;

/**
 * Registers one {@link PoolMXBean} per pool in the platform MBeanServer, as
 * {@code io.poolagent:type=Pool,name="user@host:port/db"}.
 *
 * <p>The platform MBeanServer is first asked for when the first pool is made, never before: starting it costs
 * time and initialises java.util.logging's LogManager, which a JVM that never uses JDBC must not pay for.
 */
public final class PoolMBeans implements PoolRegistry.Listener {

    public static final String DOMAIN = "io.poolagent";

    PoolMBeans() {
    }

    /** The hook the interception layer calls where it makes the registry; does nothing with jmx=false. */
    public static void install(PoolRegistry registry, AgentConfig config) {
        if (config.jmx()) {
            registry.addListener(new PoolMBeans());
        }
    }

    /** The name a pool's MBean is registered under (the first pool of that name; later ones get " #2" and so on). */
    public static ObjectName objectName(String poolName) throws JMException {
        // quoted: a pool name holds ':' and '/', and may hold ',', '=' or '"' from a user name or an IPv6 host
        return new ObjectName(DOMAIN + ":type=Pool,name=" + ObjectName.quote(poolName));
    }

    @Override
    public void poolCreated(ConnectionPool pool) {
        register(new PoolMonitor(pool), pool.name());
    }

    /** Registers under the pool's name, or, if another pool has that name already, under "name #2" and so on. */
    void register(PoolMXBean bean, String poolName) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        StandardMBean mbean = new DescribedMBean(bean);
        String name = poolName;
        for (int n = 2; ; n++) {
            try {
                server.registerMBean(mbean, objectName(name));
                return;
            } catch (InstanceAlreadyExistsException sameName) {
                // two pools to one user@host/db differ in driver or connection properties: number the later one
                name = poolName + " #" + n;
            } catch (JMException e) {
                AgentLog.warn("pool " + poolName + " has no JMX MBean", e);
                return;
            }
        }
    }

    /** The MXBean with descriptions, so jconsole and VisualVM explain each attribute and operation. */
    private static final class DescribedMBean extends StandardMBean {

        private static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
                Map.entry("Name", "the pool: user@host:port/database"),
                Map.entry("Active", "connections borrowed by the application now"),
                Map.entry("Idle", "connections open and idle in the pool now"),
                Map.entry("Waiting", "borrowers queued for a connection now"),
                Map.entry("Total", "physical connections open or being opened now"),
                Map.entry("Limit", "connection_limit: the most physical connections the pool opens"),
                Map.entry("Timeouts", "borrows that gave up after pool_timeout, since start"),
                Map.entry("Leaks", "leak reports (held too long, never closed, taken back), since start"),
                Map.entry("Created", "physical connections opened, since start"),
                Map.entry("Closed", "physical connections closed, since start"),
                Map.entry("evictIdle", "close the idle connections now (borrowed ones are left alone); returns how many"),
                Map.entry("dumpHolders", "who holds connections now: thread, time held, where taken"));

        DescribedMBean(PoolMXBean pool) {
            super(pool, PoolMXBean.class, true);
        }

        @Override
        protected String getDescription(MBeanAttributeInfo info) {
            return DESCRIPTIONS.getOrDefault(info.getName(), info.getDescription());
        }

        @Override
        protected String getDescription(MBeanOperationInfo info) {
            return DESCRIPTIONS.getOrDefault(info.getName(), info.getDescription());
        }
    }
}
