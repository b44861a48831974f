package io.poolagent.e2e;

import io.poolagent.harness.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One real PostgreSQL (max_connections=100) per test class, started before its tests and removed after. */
abstract class DatabaseTest {

    static TestDatabase db;

    @BeforeAll
    static void startDatabase() {
        db = TestDatabase.start();
    }

    @AfterAll
    static void stopDatabase() {
        if (db != null) {
            db.close();
            db = null;
        }
    }
}
