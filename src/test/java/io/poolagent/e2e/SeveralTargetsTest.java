package io.poolagent.e2e;

import io.poolagent.harness.AppUnderTest;
import io.poolagent.harness.ConnectionSampler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One JVM, several roles and databases: each (database, user, credentials) gets its own pool, sized by the agent's
 * per-target settings, and no borrower ever gets a connection logged in as another role.
 */
class SeveralTargetsTest extends DatabaseTest {

    private static final String ALICE = "pa_alice";
    private static final String BOB = "pa_bob";
    private static final String PASSWORD = "Secret42";
    private static String otherDatabase;

    @BeforeAll
    static void rolesAndDatabases() throws Exception {
        otherDatabase = db.database() + "_other";
        try (Connection admin = db.openAdmin(); Statement s = admin.createStatement()) {
            for (String role : List.of(ALICE, BOB)) {
                s.execute("DROP ROLE IF EXISTS " + role);
                s.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + PASSWORD + "'");
            }
            // only alice may read the secrets
            s.execute("CREATE TABLE secret_notes(note text)");
            s.execute("INSERT INTO secret_notes VALUES ('a'), ('b'), ('c')");
            s.execute("GRANT SELECT ON secret_notes TO " + ALICE);
            s.execute("DROP DATABASE IF EXISTS " + otherDatabase);
            s.execute("CREATE DATABASE " + otherDatabase);
        }
    }

    @AfterAll
    static void dropThem() throws Exception {
        if (db == null) {
            return;
        }
        try (Connection admin = db.openAdmin(); Statement s = admin.createStatement()) {
            s.execute("DROP TABLE IF EXISTS secret_notes");
            s.execute("DROP DATABASE IF EXISTS " + otherDatabase + " WITH (FORCE)");
            s.execute("DROP ROLE IF EXISTS " + ALICE);
            s.execute("DROP ROLE IF EXISTS " + BOB);
        }
    }

    @Test
    void rolesInterleavingNeverGetEachOthersConnectionsAndEachPoolHasItsOwnLimit() throws Exception {
        String bobScoped = "connection_limit@" + BOB + "@" + db.database();
        try (AppUnderTest app = AppUnderTest.connectPerRequest().databaseUrl(db.databaseUrl(""))
                .withAgent("log_level=info,connection_limit=3," + bobScoped + "=1").start();
             Connection a = db.openAdmin(); Connection b = db.openAdmin();
             ConnectionSampler alices = new ConnectionSampler(a, ALICE);
             ConnectionSampler bobs = new ConnectionSampler(b, BOB)) {
            ExecutorService clients = Executors.newFixedThreadPool(12);
            try {
                List<Future<AppUnderTest.Response>> alice = new ArrayList<>();
                List<Future<AppUnderTest.Response>> bob = new ArrayList<>();
                for (int i = 0; i < 120; i++) {
                    alice.add(clients.submit(() -> app.get(whoami(ALICE, null))));
                    bob.add(clients.submit(() -> app.get(whoami(BOB, null))));
                }
                String aliceSees = "user=" + ALICE + " db=" + db.database() + " secret=3";
                String bobSees = "user=" + BOB + " db=" + db.database() + " secret=denied(42501)";
                for (Future<AppUnderTest.Response> r : alice) {
                    assertEquals(aliceSees, r.get().body());
                }
                for (Future<AppUnderTest.Response> r : bob) {
                    assertEquals(bobSees, r.get().body());
                }
            } finally {
                clients.shutdownNow();
            }
            assertTrue(alices.peak() >= 1 && alices.peak() <= 3, "alice's pool: " + alices.peak());
            assertEquals(1, bobs.peak(), "bob's pool is limited by " + bobScoped + "=1");

            // a second database of the same server, same role: a pool of its own, used as that database
            AppUnderTest.Response other = app.get(whoami(ALICE, otherDatabase));
            assertEquals("user=" + ALICE + " db=" + otherDatabase + " secret=denied(42P01)", other.body());

            String log = app.stderr();
            assertTrue(log.contains("pool " + BOB + "@") && log.contains("connection_limit=1 (agent arguments)"),
                    log);
            assertTrue(log.contains("pool " + ALICE + "@") && log.contains("/" + otherDatabase + ":"), log);
        }
    }

    private static String whoami(String role, String database) {
        return "/whoami?user=" + role + "&password=" + PASSWORD + "&hold_ms=10"
                + (database == null ? "" : "&db=" + database);
    }
}
