package io.poolagent.e2e;

import io.poolagent.harness.AppUnderTest;
import io.poolagent.harness.ChildJvm;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An app that hands its postgresql:// DATABASE_URL straight to DriverManager, and the application_name of the
 * connections the agent opens, as pg_stat_activity shows them.
 */
class LibpqUrlTest extends DatabaseTest {

    @Test
    void aLibpqUrlFailsWithoutTheAgentAndConnectsPooledWithIt() throws Exception {
        String url = db.databaseUrl("connection_limit=2&application_name=billing&options=-c%20work_mem%3D5MB");
        // without the agent the app cannot even create its table, and exits
        ChildJvm.ChildFailure failure = assertThrows(ChildJvm.ChildFailure.class, () -> AppUnderTest.connectPerRequest()
                .databaseUrl(url).env("APP_URL_STYLE", "raw").start());
        assertTrue(failure.getMessage().contains("No suitable driver"), failure.getMessage());
        try (AppUnderTest app = AppUnderTest.connectPerRequest().databaseUrl(url).env("APP_URL_STYLE", "raw")
                .withAgent().start()) {
            assertEquals("5MB", app.get("/setting?name=work_mem").body(), "the URL's options were translated");
            assertEquals("billing", app.get("/setting?name=application_name").body());
            assertEquals(200, app.get("/work?hold_ms=1").status());
            assertEquals(List.of("billing"), applicationNames(), "the user's own name, and pooled");
        }
    }

    @Test
    void pooledConnectionsCarryTheAppsNameInPgStatActivity() throws Exception {
        try (AppUnderTest app = AppUnderTest.connectPerRequest().databaseUrl(db.databaseUrl("connection_limit=3"))
                .start()) {
            assertEquals(200, app.get("/work?hold_ms=1").status());
            assertEquals("PostgreSQL JDBC Driver", app.get("/setting?name=application_name").body(),
                    "without the agent: pgjdbc's default");
        }
        try (AppUnderTest app = AppUnderTest.connectPerRequest().databaseUrl(db.databaseUrl("connection_limit=3"))
                .withAgent().start()) {
            assertEquals(200, app.get("/work?hold_ms=1").status());
            assertEquals(List.of("connect-per-request"), applicationNames());
        }
    }

    /** The README's monitoring query, verbatim: the application_names of the app user's sessions. */
    private static List<String> applicationNames() throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection admin = db.openAdmin(); PreparedStatement ps = admin.prepareStatement(
                "SELECT application_name, usename, state, count(*)\n"
                        + "FROM pg_stat_activity WHERE backend_type = 'client backend'\n"
                        + "GROUP BY 1, 2, 3 ORDER BY 4 DESC;");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (db.appUser().equals(rs.getString("usename")) && !names.contains(rs.getString(1))) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }
}
