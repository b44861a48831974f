package app.features;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A connection as a borrower leaves it, seen by the next borrower of the same backend: with one pooled connection,
 * successive DriverManager connections share a server session, so whatever one changes the next inherits unless the
 * pool undoes it.
 */
final class StateChecks {

    static final List<String> STATE_RESET_LINES = List.of(
            "state-reset-autocommit", "state-reset-isolation", "state-reset-read-only", "state-reset-catalog",
            "state-reset-schema", "state-reset-network-timeout", "state-reset-holdability", "state-reset-client-info",
            "state-reset-warnings", "state-reset-open-statements", "state-reset-open-result-sets",
            "state-reset-rollback");
    static final List<String> RESET_QUERY_LINES = List.of("reset-query", "reset-query-prepared-statements");

    private static final String CHANGED_SCHEMA = "features_changed";
    /** Schema-qualified: a search_path left changed by a borrower must not make the table vanish. */
    private static final String ROLLBACK_TABLE = "public.features_rollback";
    /** pgjdbc switches a PreparedStatement to a named server-side statement from its 5th execution on. */
    private static final int SERVER_PREPARE_EXECUTIONS = 6;

    private StateChecks() {
    }

    /** What a connection nobody has touched looks like, through JDBC and on the server. */
    private record Fresh(int pid, boolean autoCommit, int isolation, boolean readOnly, String catalog, String schema,
                         int networkTimeout, int holdability, String applicationName, Properties clientInfo,
                         String serverIsolation, String serverReadOnly, String serverSchema,
                         String serverApplicationName) {

        static Fresh read(Connection c) throws SQLException {
            Properties clientInfo = new Properties();
            clientInfo.putAll(c.getClientInfo());
            return new Fresh(Db.pid(c), c.getAutoCommit(), c.getTransactionIsolation(), c.isReadOnly(),
                    c.getCatalog(), c.getSchema(), c.getNetworkTimeout(), c.getHoldability(),
                    c.getClientInfo("ApplicationName"), clientInfo, Db.query(c, "SHOW transaction_isolation"),
                    Db.query(c, "SHOW transaction_read_only"), Db.query(c, "SELECT current_schema()"),
                    Db.query(c, "SHOW application_name"));
        }
    }

    // ------------------------------------------------------------------------------------------------ state-reset

    static void stateReset(Db db, Report report) throws SQLException {
        Fresh fresh;
        try (Connection c = db.connect()) {
            fresh = Fresh.read(c);
        }
        try (Connection c = db.connect()) {
            Db.execute(c, "CREATE SCHEMA IF NOT EXISTS " + CHANGED_SCHEMA);
            Db.execute(c, "CREATE TABLE IF NOT EXISTS " + ROLLBACK_TABLE + "(note text)");
            Db.execute(c, "DELETE FROM " + ROLLBACK_TABLE);
        }

        int otherHoldability = fresh.holdability() == ResultSet.CLOSE_CURSORS_AT_COMMIT
                ? ResultSet.HOLD_CURSORS_OVER_COMMIT : ResultSet.CLOSE_CURSORS_AT_COMMIT;
        Statement leftStatement;
        PreparedStatement leftPrepared;
        ResultSet leftResultSet;
        Connection first = db.connect();
        try {
            int pid = Db.pid(first);
            if (pid != fresh.pid()) {
                failAll(report, STATE_RESET_LINES, differentBackend(fresh.pid(), pid));
                return;
            }
            // Session-wide changes first, with autocommit on: made inside the transaction, SET search_path and SET
            // application_name would be undone by the rollback alone and prove nothing about restoring them.
            first.setClientInfo("ApplicationName", "changed");
            first.setSchema(CHANGED_SCHEMA);
            first.setNetworkTimeout(Runnable::run, 12345);
            first.setHoldability(otherHoldability);
            first.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            first.setReadOnly(true);
            first.setCatalog("postgres"); // pgjdbc ignores it, but whatever a driver keeps must be undone
            first.setClientInfo("features.unknown", "x"); // pgjdbc answers with a connection warning
            first.setAutoCommit(false);
            leftStatement = first.createStatement();
            leftResultSet = leftStatement.executeQuery("SELECT generate_series(1, 10)");
            leftResultSet.next();
            leftPrepared = first.prepareStatement("SELECT 1");

            // Unless the changes took, the next borrower finding the defaults proves nothing.
            Report.Outcome took = new Report.Outcome();
            took.equal("SHOW application_name", "changed", Db.query(first, "SHOW application_name"));
            took.equal("current_schema()", CHANGED_SCHEMA, Db.query(first, "SELECT current_schema()"));
            took.equal("SHOW transaction_isolation", "serializable", Db.query(first, "SHOW transaction_isolation"));
            took.equal("SHOW transaction_read_only", "on", Db.query(first, "SHOW transaction_read_only"));
            took.equal("getNetworkTimeout()", 12345, first.getNetworkTimeout());
            took.equal("getHoldability()", otherHoldability, first.getHoldability());
            took.require(first.getWarnings() != null, "no warning after setClientInfo of an unknown name");
            if (!took.ok()) {
                failAll(report, STATE_RESET_LINES, "borrower 1's changes did not take, so nothing can be checked");
                return;
            }
        } finally {
            first.close(); // no commit, no rollback, nothing closed: the pool gets it as the borrower left it
        }

        Connection second = db.connect();
        try {
            int pid = Db.pid(second);
            if (pid != fresh.pid()) {
                failAll(report, STATE_RESET_LINES, differentBackend(fresh.pid(), pid));
                return;
            }
            report.check("state-reset-autocommit",
                    o -> o.equal("getAutoCommit()", fresh.autoCommit(), second.getAutoCommit()));
            report.check("state-reset-isolation", o -> {
                o.equal("getTransactionIsolation()", fresh.isolation(), second.getTransactionIsolation());
                o.equal("SHOW transaction_isolation", fresh.serverIsolation(),
                        Db.query(second, "SHOW transaction_isolation"));
            });
            report.check("state-reset-read-only", o -> {
                o.equal("isReadOnly()", fresh.readOnly(), second.isReadOnly());
                o.equal("SHOW transaction_read_only", fresh.serverReadOnly(),
                        Db.query(second, "SHOW transaction_read_only"));
            });
            report.check("state-reset-catalog", o -> o.equal("getCatalog()", fresh.catalog(), second.getCatalog()));
            report.check("state-reset-schema", o -> {
                o.equal("getSchema()", fresh.schema(), second.getSchema());
                o.equal("current_schema()", fresh.serverSchema(), Db.query(second, "SELECT current_schema()"));
            });
            report.check("state-reset-network-timeout",
                    o -> o.equal("getNetworkTimeout()", fresh.networkTimeout(), second.getNetworkTimeout()));
            report.check("state-reset-holdability",
                    o -> o.equal("getHoldability()", fresh.holdability(), second.getHoldability()));
            report.check("state-reset-client-info", o -> {
                o.equal("getClientInfo(\"ApplicationName\")", fresh.applicationName(),
                        second.getClientInfo("ApplicationName"));
                o.equal("SHOW application_name", fresh.serverApplicationName(),
                        Db.query(second, "SHOW application_name"));
                o.equal("getClientInfo()", fresh.clientInfo(), second.getClientInfo());
            });
            report.check("state-reset-warnings", o -> {
                SQLWarning w = second.getWarnings();
                o.require(w == null, "getWarnings() still holds borrower 1's warning: "
                        + (w == null ? "" : w.getMessage()));
            });
            report.check("state-reset-open-statements", o -> {
                o.require(leftStatement.isClosed(), "borrower 1's Statement is still open");
                o.require(leftPrepared.isClosed(), "borrower 1's PreparedStatement is still open");
            });
            report.check("state-reset-open-result-sets",
                    o -> o.require(leftResultSet.isClosed(), "borrower 1's ResultSet is still open"));
        } finally {
            second.close();
        }

        // Uncommitted work, apart from the changes above: a transaction left open would make them impossible. Its
        // own line whatever happens, so that a change above left in place shows there, not as a crash here.
        report.check("state-reset-rollback", o -> {
            Connection third = db.connect();
            int thirdPid;
            try {
                thirdPid = Db.pid(third);
                third.setReadOnly(false); // the default; stated so that a read-only flag left over cannot interfere
                third.setAutoCommit(false);
                Db.execute(third, "INSERT INTO " + ROLLBACK_TABLE + "(note) VALUES ('uncommitted')");
            } finally {
                third.close(); // deliberately neither commit nor rollback
            }
            try (Connection fourth = db.connect()) {
                int pid = Db.pid(fourth);
                if (thirdPid != fresh.pid() || pid != fresh.pid()) {
                    o.require(false, differentBackend(fresh.pid(), thirdPid != fresh.pid() ? thirdPid : pid));
                    return;
                }
                o.equal("rows borrower 3 inserted without committing, as the next borrower counts them", "0",
                        Db.query(fourth, "SELECT count(*) FROM " + ROLLBACK_TABLE));
            }
        });
    }

    // ------------------------------------------------------------------------------------------------ reset-query

    /** Session state only SQL changes (and only a reset_query such as DISCARD ALL undoes). */
    static void resetQuery(Db db, Report report) throws SQLException {
        int freshPid;
        String freshWorkMem;
        String freshSearchPath;
        try (Connection c = db.connect()) {
            freshPid = Db.pid(c);
            freshWorkMem = Db.query(c, "SHOW work_mem");
            freshSearchPath = Db.query(c, "SHOW search_path");
        }

        try (Connection first = db.connect()) {
            int pid = Db.pid(first);
            if (pid != freshPid) {
                failAll(report, RESET_QUERY_LINES, differentBackend(freshPid, pid));
                return;
            }
            Db.execute(first, "SET search_path TO public, pg_catalog; SET work_mem = '7MB'");
            Db.execute(first, "CREATE TEMP TABLE IF NOT EXISTS features_temp(x int)");
            Db.query(first, "SELECT pg_advisory_lock(42)");
            // pgjdbc keeps the named server-side statement per physical connection; the next borrower reuses it.
            runPrepared(first);
            Report.Outcome took = new Report.Outcome();
            took.equal("SHOW work_mem", "7MB", Db.query(first, "SHOW work_mem"));
            took.equal("temporary table", "present", temporaryTable(first));
            took.equal("advisory locks held", "1", advisoryLocks(first));
            if (!took.ok()) {
                failAll(report, RESET_QUERY_LINES, "borrower 1's changes did not take, so nothing can be checked");
                return;
            }
        }

        try (Connection second = db.connect()) {
            int pid = Db.pid(second);
            if (pid != freshPid) {
                failAll(report, RESET_QUERY_LINES, differentBackend(freshPid, pid));
                return;
            }
            report.check("reset-query", o -> {
                o.equal("SHOW work_mem", freshWorkMem, Db.query(second, "SHOW work_mem"));
                o.equal("SHOW search_path", freshSearchPath, Db.query(second, "SHOW search_path"));
                o.equal("borrower 1's temporary table", "absent", temporaryTable(second));
                o.equal("advisory locks held by this session", "0", advisoryLocks(second));
            });
            report.check("reset-query-prepared-statements", o -> {
                runPrepared(second);
                o.note(SERVER_PREPARE_EXECUTIONS + " executions of a statement borrower 1 had prepared on the server");
            });
        }
    }

    private static void runPrepared(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT ?::int + 1")) {
            for (int i = 0; i < SERVER_PREPARE_EXECUTIONS; i++) {
                ps.setInt(1, i);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || rs.getInt(1) != i + 1) {
                        throw new SQLException("SELECT " + i + " + 1 did not return " + (i + 1));
                    }
                }
            }
        }
    }

    private static String temporaryTable(Connection c) throws SQLException {
        return Db.query(c, "SELECT count(*) FROM pg_class WHERE relname = 'features_temp'"
                + " AND relnamespace = pg_my_temp_schema()").equals("0") ? "absent" : "present";
    }

    private static String advisoryLocks(Connection c) throws SQLException {
        return Db.query(c, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
                + " AND granted");
    }

    // ------------------------------------------------------------------------------------------------ shared

    static String differentBackend(int expected, int actual) {
        return "different backend (pid " + actual + ", the first borrower had " + expected + "): the next borrower"
                + " must get the same physical connection (connection_limit=1 under a pool) for this check to mean"
                + " anything";
    }

    static void failAll(Report report, List<String> lines, String why) {
        for (String line : new ArrayList<>(lines)) {
            report.fail(line, why);
        }
    }
}
