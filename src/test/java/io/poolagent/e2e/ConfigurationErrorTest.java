package io.poolagent.e2e;

import io.poolagent.harness.AppUnderTest;
import io.poolagent.harness.Artifacts;
import io.poolagent.harness.ChildJvm;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A bad setting gives one clear ERROR line, and the app runs unpooled; with strict=true the JVM stops instead. */
class ConfigurationErrorTest extends DatabaseTest {


    private static List<String> agentLines(String stderr) {
        return stderr.lines().filter(l -> l.startsWith("[pool-agent]")).collect(Collectors.toList());
    }

    @Test
    void aBadValueIsNamedOnceAndTheAppRunsUnpooled() throws Exception {
        try (AppUnderTest app = AppUnderTest.connectPerRequest().databaseUrl(db.databaseUrl(""))
                .env("POOL_AGENT_CONNECTION_LIMIT", "-3").withAgent().start()) {
            assertEquals(200, app.get("/work?hold_ms=1").status());
            List<String> lines = agentLines(app.stderr());
            assertEquals(1, lines.size(), app.stderr());
            String line = lines.get(0);
            assertTrue(line.startsWith("[pool-agent] ERROR "), line);
            assertTrue(line.contains("connection_limit") && line.contains("\"-3\"")
                    && line.contains("POOL_AGENT_CONNECTION_LIMIT"), line);
            assertTrue(line.contains("not pooled"), line);
            // Unpooled: once the request is over the app keeps no connection open (a pool would keep one idle).
            assertEquals(0, appConnectionsSettled());
        }
    }

    @Test
    void aBadUrlIsReportedWithoutItsPassword() {
        String url = "postgresql://app:" + "hunter2secret" + "@127.0.0.1:notaport/app";
        try (ChildJvm jvm = ChildJvm.java().agent(Artifacts.agentJar()).env("DATABASE_URL", url)
                .args("-version").start()) {
            assertEquals(0, jvm.waitFor(Duration.ofSeconds(60)), jvm.describe());
            List<String> lines = agentLines(jvm.stderr());
            assertEquals(1, lines.size(), jvm.stderr());
            assertTrue(lines.get(0).startsWith("[pool-agent] ERROR ") && lines.get(0).contains("DATABASE_URL"),
                    lines.get(0));
            assertTrue(lines.get(0).contains("notaport"), lines.get(0));
            assertFalse(jvm.stderr().contains("hunter2secret"), jvm.stderr());
        }
    }

    @Test
    void strictStopsTheJvmWithTheMessage() {
        try (ChildJvm jvm = ChildJvm.java().agent(Artifacts.agentJar(), "strict=true,pool_timeout=ten")
                .env("DATABASE_URL", db.databaseUrl("")).jar(Artifacts.appJar("connect-per-request"), "serve")
                .env("PORT", "0").start()) {
            int exit = jvm.waitFor(Duration.ofSeconds(60));
            assertNotEquals(0, exit, jvm.describe());
            assertFalse(jvm.stdout().contains("LISTENING"), "the app must not have started");
            List<String> lines = agentLines(jvm.stderr());
            assertEquals(1, lines.size(), jvm.stderr());
            assertTrue(lines.get(0).contains("pool_timeout") && lines.get(0).contains("\"ten\"")
                    && lines.get(0).contains("strict"), lines.get(0));
        }
    }

    /** Backends exit a moment after their client closes; wait for the count to drop before reading it. */
    private static int appConnectionsSettled() throws Exception {
        int count = appConnections();
        for (int i = 0; i < 100 && count > 0; i++) {
            Thread.sleep(50);
            count = appConnections();
        }
        return count;
    }

    private static int appConnections() throws Exception {
        try (Connection admin = db.openAdmin();
             PreparedStatement ps = admin.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE usename = ?")) {
            ps.setString(1, db.appUser());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
