package io.poolagent.e2e;

import io.poolagent.harness.AppUnderTest;
import io.poolagent.harness.ChildJvm;
import io.poolagent.harness.JmxAttach;
import org.junit.jupiter.api.Test;

import javax.management.ObjectName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An operator's view of a running app's pool over JMX, from another JVM (this one), through the attach API as
 * jconsole does: the numbers PgBouncer's SHOW POOLS gives, and the evict-idle and dump-holders operations.
 */
class JmxTest extends DatabaseTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @Test
    void aSecondJvmReadsThePoolAndOperatesOnIt() throws Exception {
        try (AppUnderTest app = AppUnderTest.connectPerRequest()
                .databaseUrl(db.databaseUrl("connection_limit=2&pool_timeout=2&leak_detection_threshold=1"))
                .withAgent().start();
             JmxAttach jmx = JmxAttach.to(app.jvm().pid())) {
            String poolName = db.appUser() + "@" + db.host() + ":" + db.port() + "/" + db.database();
            ObjectName name = new ObjectName("io.poolagent:type=Pool,name=" + ObjectName.quote(poolName));
            Set<ObjectName> pools = jmx.server().queryNames(new ObjectName("io.poolagent:type=Pool,*"), null);
            assertEquals(Set.of(name), pools, "one pool, named user@host:port/db");
            assertEquals(poolName, jmx.get(name, "Name"));
            assertFalse(name.toString().contains(db.appPassword()), name.toString());

            // At start the app opened one connection (to create its table) and gave it back.
            assertEquals(2, jmx.getLong(name, "Limit"), "Limit is connection_limit");
            assertEquals(1, jmx.getLong(name, "Created"));
            assertEquals(1, jmx.getLong(name, "Idle"));
            assertEquals(0, jmx.getLong(name, "Active"));

            // Two requests hold both connections; a third waits, then times out after pool_timeout.
            List<CompletableFuture<AppUnderTest.Response>> holders = List.of(
                    CompletableFuture.supplyAsync(() -> app.get("/work?hold_ms=8000")),
                    CompletableFuture.supplyAsync(() -> app.get("/work?hold_ms=8000")));
            await(() -> jmx.getLong(name, "Active") == 2, () -> "Active never reached 2: " + stats(jmx, name));
            assertEquals(2, jmx.getLong(name, "Total"));
            assertEquals(0, jmx.getLong(name, "Idle"));
            assertEquals(2, jmx.getLong(name, "Created"));
            assertEquals(0, jmx.getLong(name, "Timeouts"));

            String holdersDump = (String) jmx.invoke(name, "dumpHolders");
            assertTrue(holdersDump.contains("thread \"pool-"), "the holding threads are named:\n" + holdersDump);
            assertTrue(holdersDump.contains("app.ConnectPerRequestApp.work(ConnectPerRequestApp.java:"),
                    "and where they hold the connection:\n" + holdersDump);

            CompletableFuture<AppUnderTest.Response> starved = CompletableFuture.supplyAsync(() -> app.get("/work?hold_ms=1"));
            await(() -> jmx.getLong(name, "Waiting") == 1, () -> "the third request never queued: " + stats(jmx, name));
            assertEquals(500, starved.get().status(), starved.get().body());
            assertEquals(1, jmx.getLong(name, "Timeouts"), "the timeout is counted");
            // Both holders pass leak_detection_threshold=1s: each is reported, once.
            await(() -> jmx.getLong(name, "Leaks") == 2, () -> "two leak reports expected: " + stats(jmx, name));
            for (CompletableFuture<AppUnderTest.Response> h : holders) {
                assertEquals(200, h.get().status());
            }

            await(() -> jmx.getLong(name, "Idle") == 2, () -> "both connections come back: " + stats(jmx, name));
            assertEquals(0, jmx.getLong(name, "Active"));
            assertEquals(2, jmx.getLong(name, "Total"));
            assertEquals(2, jmx.getLong(name, "Created"), "no connection opened beyond the limit");
            assertEquals(0, jmx.getLong(name, "Closed"));
            assertEquals(2, serverSideConnections(), "the server sees what the MBean says is open");

            assertEquals(2, ((Number) jmx.invoke(name, "evictIdle")).intValue(), "evictIdle closes both");
            assertEquals(0, jmx.getLong(name, "Idle"));
            assertEquals(0, jmx.getLong(name, "Total"));
            assertEquals(2, jmx.getLong(name, "Closed"));
            await(() -> serverSideConnections() == 0, () -> "the server still sees the app's connections");

            assertEquals(200, app.get("/work?hold_ms=1").status(), "the pool opens a fresh one after evictIdle");
            assertEquals(3, jmx.getLong(name, "Created"));
            assertEquals("no connection of " + poolName + " is borrowed", jmx.invoke(name, "dumpHolders"));
        }
    }

    /**
     * The platform MBeanServer is started with the first pool, not with the agent: a JVM that never uses JDBC pays
     * nothing for JMX. With jmx=false it is never started by the agent. Seen from outside, as a heap histogram.
     */
    @Test
    void jmxStartsWithTheFirstPoolAndNotWithJmxFalse() {
        try (AppUnderTest app = AppUnderTest.connectPerRequest().databaseUrl(db.databaseUrl(""))
                .env("APP_CREATE_SCHEMA", "false").withAgent().start()) {
            assertFalse(hasMBeanServer(app), "no JDBC yet, so no MBeanServer");
            assertEquals(200, app.get("/work?hold_ms=1").status());
            assertTrue(hasMBeanServer(app), "the first pool registers its MBean");
        }
        try (AppUnderTest app = AppUnderTest.connectPerRequest().databaseUrl(db.databaseUrl(""))
                .env("APP_CREATE_SCHEMA", "false").withAgent("jmx=false").start()) {
            assertEquals(200, app.get("/work?hold_ms=1").status());
            assertTrue(app.stderr().contains("[pool-agent] INFO pool "), "the connection is pooled:\n" + app.stderr());
            assertFalse(hasMBeanServer(app), "jmx=false: the agent leaves JMX alone");
        }
    }

    /** Whether the app's heap holds the platform MBeanServer, by jcmd GC.class_histogram (which lists live objects). */
    private static boolean hasMBeanServer(AppUnderTest app) {
        try (ChildJvm jcmd = ChildJvm.command(ChildJvm.tool(ChildJvm.currentJavaHome(), "jcmd").toString(),
                Long.toString(app.jvm().pid()), "GC.class_histogram").start()) {
            assertEquals(0, jcmd.waitFor(Duration.ofSeconds(60)), jcmd.describe());
            String histogram = jcmd.stdout();
            assertTrue(histogram.contains("java.lang.String "), "not a histogram:\n" + jcmd.describe());
            return histogram.contains("com.sun.jmx.mbeanserver.JmxMBeanServer ");
        }
    }

    private static int serverSideConnections() {
        try (Connection admin = db.openAdmin();
             PreparedStatement ps = admin.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE usename = ?")) {
            ps.setString(1, db.appUser());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String stats(JmxAttach jmx, ObjectName name) {
        StringBuilder b = new StringBuilder();
        for (String a : List.of("Active", "Idle", "Waiting", "Total", "Limit", "Timeouts", "Leaks", "Created", "Closed")) {
            b.append(a).append('=').append(jmx.get(name, a)).append(' ');
        }
        return b.toString().trim();
    }

    /** Polls until the condition holds; fails with the message after {@link #PATIENCE}. Not a timing assertion. */
    private static void await(BooleanSupplier condition, Supplier<String> message) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(message.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }
}
