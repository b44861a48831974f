package io.poolagent.e2e;

import io.poolagent.harness.AppUnderTest;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What happens to a connection when the app closes it under the agent. With connection_limit=1 every request of
 * the app gets the same physical connection, so whatever one request leaves behind, the next would see.
 */
class ReturnedConnectionTest extends DatabaseTest {


    private static AppUnderTest startWithOneConnection() {
        return AppUnderTest.connectPerRequest().databaseUrl(db.databaseUrl("connection_limit=1")).withAgent().start();
    }

    @Test
    void uncommittedWorkIsRolledBackNotCommittedAndAutocommitRestored() throws Exception {
        try (AppUnderTest app = startWithOneConnection()) {
            int before = Integer.parseInt(app.get("/count").body().trim());
            assertEquals(200, app.get("/uncommitted").status());
            // The next borrower runs on the same physical connection: it must not see the row, in or out of a
            // transaction, and nothing may be left idle in a transaction on the server.
            assertEquals(before, Integer.parseInt(app.get("/count").body().trim()));
            assertEquals(0, sessionsIdleInTransaction());
            assertEquals(200, app.get("/work?hold_ms=1").status());
            assertEquals(before, Integer.parseInt(app.get("/count").body().trim()), "the row was committed later");
            assertEquals("1", singleValue("SELECT count(*) FROM pg_stat_activity WHERE usename = ?"),
                    "the test relies on one physical connection");
        }
    }

    @Test
    void aStaleHandleNeverReachesTheNextBorrowersConnection() throws Exception {
        try (AppUnderTest app = startWithOneConnection()) {
            AppUnderTest.Response r = app.get("/stale-handle");
            assertEquals(200, r.status(), r.body());
            assertTrue(r.body().contains("stale handle refused: SQLSTATE=08003"), r.body());
            assertTrue(r.body().contains("second borrower's application_name=unchanged"), r.body());
            assertTrue(r.body().contains("same backend=true"), "pooling must have reused the backend: " + r.body());
        }
    }

    @Test
    void directDriverConnectIsPooledAndUnknownUrlsBehaveAsWithoutTheAgent() throws Exception {
        String withoutAgent;
        try (AppUnderTest app = AppUnderTest.start(db.databaseUrl(""), false)) {
            assertNotEquals(app.get("/pid?via=driver").body(), app.get("/pid?via=driver").body(),
                    "without the agent each direct connect is a new backend");
            withoutAgent = app.get("/bogus-url").body();
        }
        try (AppUnderTest app = startWithOneConnection()) {
            assertEquals(app.get("/pid?via=driver").body(), app.get("/pid?via=driver").body(),
                    "Driver.connect under the agent reuses the pooled backend");
            assertEquals(app.get("/pid?via=drivermanager").body(), app.get("/pid?via=drivermanager").body());
            assertEquals(withoutAgent, app.get("/bogus-url").body());
            assertTrue(withoutAgent.contains("No suitable driver"), withoutAgent);
        }
    }

    private static int sessionsIdleInTransaction() throws Exception {
        return Integer.parseInt(singleValue(
                "SELECT count(*) FROM pg_stat_activity WHERE usename = ? AND state LIKE 'idle in transaction%'"));
    }

    private static String singleValue(String sql) throws Exception {
        try (Connection admin = db.openAdmin(); PreparedStatement ps = admin.prepareStatement(sql)) {
            ps.setString(1, db.appUser());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
