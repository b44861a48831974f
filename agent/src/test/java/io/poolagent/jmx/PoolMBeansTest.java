package io.poolagent.jmx;

import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Names and registration; the MBean against a real database and a real JMX client is tested in JmxTest. */
class PoolMBeansTest {

    @Test
    void anyPoolNameMakesAValidReadableObjectName() throws Exception {
        for (String pool : new String[] {"app@db:5432/app", "app@[::1]:5432/app", "we,ird=us\"er*?@h1:5432,h2:5433/d b",
                "db.internal:5432/app"}) {
            ObjectName name = PoolMBeans.objectName(pool);
            assertFalse(name.isPattern(), name.toString());
            assertEquals("Pool", name.getKeyProperty("type"));
            assertEquals(pool, ObjectName.unquote(name.getKeyProperty("name")), name.toString());
            assertEquals(name, new ObjectName(name.toString()));
        }
    }

    @Test
    void twoPoolsOfOneNameAreBothRegisteredTheSecondNumbered() throws Exception {
        String poolName = "same@db:5432/test-" + System.nanoTime();
        PoolMBeans mbeans = new PoolMBeans();
        mbeans.register(new FakePool(poolName, 3), poolName);
        mbeans.register(new FakePool(poolName, 4), poolName);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        assertEquals(3, server.getAttribute(PoolMBeans.objectName(poolName), "Limit"));
        assertEquals(4, server.getAttribute(PoolMBeans.objectName(poolName + " #2"), "Limit"));
        assertEquals("holders of " + poolName,
                server.invoke(PoolMBeans.objectName(poolName), "dumpHolders", new Object[0], new String[0]));
        assertEquals("connections borrowed by the application now",
                describe(server, PoolMBeans.objectName(poolName), "Active"), "jconsole shows what each attribute is");
    }

    private static String describe(MBeanServer server, ObjectName name, String attribute) throws Exception {
        for (var a : server.getMBeanInfo(name).getAttributes()) {
            if (a.getName().equals(attribute)) {
                return a.getDescription();
            }
        }
        return null;
    }

    private record FakePool(String getName, int getLimit) implements PoolMXBean {
        public int getActive() {
            return 0;
        }

        public int getIdle() {
            return 0;
        }

        public int getWaiting() {
            return 0;
        }

        public int getTotal() {
            return 0;
        }

        public long getTimeouts() {
            return 0;
        }

        public long getLeaks() {
            return 0;
        }

        public long getCreated() {
            return 0;
        }

        public long getClosed() {
            return 0;
        }

        public int evictIdle() {
            return 0;
        }

        public String dumpHolders() {
            return "holders of " + getName;
        }
    }
}
