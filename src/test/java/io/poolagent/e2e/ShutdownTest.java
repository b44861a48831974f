package io.poolagent.e2e;

import io.poolagent.harness.AppUnderTest;
import io.poolagent.harness.ConnectionSampler;
import io.poolagent.harness.LoadRunner;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * At JVM exit the agent closes its idle connections the polite way (a Terminate message), so the server counts
 * ended sessions, not abandoned ones. PostgreSQL (14+) counts a session whose client vanished without saying
 * goodbye in pg_stat_database.sessions_abandoned.
 */
class ShutdownTest extends DatabaseTest {


    @Test
    void idleConnectionsAreClosedCleanlyAtExit() throws Exception {
        long abandonedBefore = abandonedSessions();
        try (Connection admin = db.openAdmin(); ConnectionSampler sampler = new ConnectionSampler(admin, db.appUser())) {
            AppUnderTest app = AppUnderTest.connectPerRequest()
                    .databaseUrl(db.databaseUrl("connection_limit=5")).withAgent().start();
            new LoadRunner().run(app.uri("/work?hold_ms=100"), 5, 2);
            assertTrue(sampler.last() >= 2, "the pool should hold several idle connections, saw " + sampler.last());
            app.stop(); // SIGTERM: shutdown hooks run
            assertTrue(sampler.awaitAtMost(0, Duration.ofSeconds(20)), "connections left after exit: " + sampler.last());
        }
        assertEquals(abandonedBefore, abandonedSessions(), "sessions were dropped instead of closed");
    }

    /** The control: a JVM killed outright drops its sockets, and the server does count those as abandoned. */
    @Test
    void aKilledJvmLeavesAbandonedSessionsWhichIsWhatTheCheckAboveDetects() throws Exception {
        long abandonedBefore = abandonedSessions();
        try (Connection admin = db.openAdmin(); ConnectionSampler sampler = new ConnectionSampler(admin, db.appUser())) {
            AppUnderTest app = AppUnderTest.connectPerRequest()
                    .databaseUrl(db.databaseUrl("connection_limit=5")).withAgent().start();
            new LoadRunner().run(app.uri("/work?hold_ms=100"), 5, 2);
            ProcessHandle.of(app.jvm().pid()).ifPresent(ProcessHandle::destroyForcibly);
            assertTrue(sampler.awaitAtMost(0, Duration.ofSeconds(20)), "connections left after kill: " + sampler.last());
            app.stop();
        }
        assertTrue(abandonedSessions() > abandonedBefore, "a killed JVM should leave abandoned sessions");
    }

    private static long abandonedSessions() throws Exception {
        try (Connection admin = db.openAdmin(); Statement st = admin.createStatement()) {
            st.execute("SELECT pg_stat_clear_snapshot()");
            try (ResultSet rs = st.executeQuery(
                    "SELECT sessions_abandoned FROM pg_stat_database WHERE datname = '" + db.database() + "'")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
