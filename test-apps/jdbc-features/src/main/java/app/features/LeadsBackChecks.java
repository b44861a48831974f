package app.features;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;

/**
 * The JDBC back-links: statements, metadata and result sets name the connection (and statement) they came from.
 * Code that is handed only a Statement or a ResultSet uses them to reach the connection, and sometimes closes it.
 */
final class LeadsBackChecks {

    /** Opens a cursor over 1, 2, 3 and returns it (a refcursor): as PL/pgSQL functions hand back result sets. */
    private static final String CURSOR_FUNCTION = "features_cursor";

    /** From a borrowed connection to the connection one of its objects leads back to. */
    @FunctionalInterface
    private interface Via {
        Connection from(Connection c) throws SQLException;
    }

    private LeadsBackChecks() {
    }

    static void leadsBack(Db db, Report report) throws SQLException {
        try (Connection conn = db.connect();
             Statement st = conn.createStatement();
             PreparedStatement ps = conn.prepareStatement("SELECT ?::int");
             CallableStatement cs = conn.prepareCall("{? = call upper(?)}")) {
            report.check("leads-back-statement", o -> {
                o.same("createStatement().getConnection()", conn, st.getConnection());
                o.same("prepareStatement(...).getConnection()", conn, ps.getConnection());
                o.same("prepareCall(...).getConnection()", conn, cs.getConnection());
            });
            report.check("leads-back-metadata",
                    o -> o.same("getMetaData().getConnection()", conn, conn.getMetaData().getConnection()));
            report.check("leads-back-result-set", o -> {
                try (ResultSet rs = st.executeQuery("SELECT 1")) {
                    o.same("executeQuery(...).getStatement()", st, rs.getStatement());
                    o.same("executeQuery(...).getStatement().getConnection()", conn, rs.getStatement().getConnection());
                }
                st.execute("SELECT 2");
                try (ResultSet rs = st.getResultSet()) {
                    o.same("getResultSet().getStatement()", st, rs.getStatement());
                }
                ps.setInt(1, 7);
                try (ResultSet rs = ps.executeQuery()) {
                    o.same("prepared executeQuery().getStatement()", ps, rs.getStatement());
                    o.same("prepared executeQuery().getStatement().getConnection()", conn,
                            rs.getStatement().getConnection());
                }
                cs.registerOutParameter(1, Types.VARCHAR);
                cs.setString(2, "x");
                cs.execute();
                o.equal("{? = call upper('x')}", "X", cs.getString(1));
            });
            report.check("leads-back-metadata-result-set", o -> {
                try (ResultSet rs = conn.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
                    Statement s = rs.getStatement(); // JDBC allows null here; pgjdbc returns its internal statement
                    if (s != null) {
                        o.same("getMetaData().getTables(...).getStatement().getConnection()", conn,
                                s.getConnection());
                    }
                }
            });
        }
        leadsBackFromCursors(db, report);
        closeVia(db, report, "leads-back-close-via-statement", "createStatement().getConnection().close()",
                c -> c.createStatement().getConnection());
        closeVia(db, report, "leads-back-close-via-metadata", "getMetaData().getConnection().close()",
                c -> c.getMetaData().getConnection());
        closeVia(db, report, "leads-back-close-via-result-set",
                "executeQuery(...).getStatement().getConnection().close()",
                c -> c.createStatement().executeQuery("SELECT 1").getStatement().getConnection());
        closeVia(db, report, "leads-back-close-via-refcursor",
                "((ResultSet) getObject(refcursor)).getStatement().getConnection().close()", c -> {
                    c.setAutoCommit(false); // a cursor lives in its transaction
                    ResultSet rs = c.createStatement().executeQuery("SELECT " + CURSOR_FUNCTION + "()");
                    rs.next();
                    return ((ResultSet) rs.getObject(1)).getStatement().getConnection();
                });
    }

    /**
     * A refcursor read with getObject is a ResultSet that pgjdbc fetches on a statement of its own: its
     * getStatement().getConnection() must still be the borrowed connection, from an OUT parameter and from a column.
     */
    private static void leadsBackFromCursors(Db db, Report report) throws SQLException {
        try (Connection c = db.connect()) {
            Db.execute(c, "CREATE OR REPLACE FUNCTION " + CURSOR_FUNCTION + "() RETURNS refcursor LANGUAGE plpgsql AS"
                    + " $$ DECLARE c refcursor; BEGIN OPEN c FOR SELECT generate_series(1, 3); RETURN c; END $$");
        }
        report.check("leads-back-refcursor", o -> {
            try (Connection conn = db.connect()) {
                conn.setAutoCommit(false);
                try (CallableStatement cs = conn.prepareCall("{? = call " + CURSOR_FUNCTION + "()}")) {
                    cs.registerOutParameter(1, Types.OTHER);
                    cs.execute();
                    try (ResultSet cursor = (ResultSet) cs.getObject(1)) {
                        o.same("OUT refcursor getStatement().getConnection()", conn,
                                cursor.getStatement().getConnection());
                        o.equal("OUT refcursor rows", "1 2 3", rows(cursor));
                    }
                }
                try (Statement st = conn.createStatement();
                     ResultSet rs = st.executeQuery("SELECT " + CURSOR_FUNCTION + "()")) {
                    rs.next();
                    try (ResultSet cursor = (ResultSet) rs.getObject(1)) {
                        o.same("column refcursor getStatement().getConnection()", conn,
                                cursor.getStatement().getConnection());
                        o.equal("column refcursor rows", "1 2 3", rows(cursor));
                    }
                }
                conn.rollback();
            }
        });
    }

    private static String rows(ResultSet rs) throws SQLException {
        StringBuilder b = new StringBuilder();
        while (rs.next()) {
            b.append(b.length() == 0 ? "" : " ").append(rs.getInt(1));
        }
        return b.toString();
    }

    /**
     * Closing the connection a handed-out object leads back to closes the borrowed connection; under a pool the
     * physical one goes back to the pool, so (with one pooled connection) the next borrower gets the same backend.
     */
    private static void closeVia(Db db, Report report, String line, String how, Via via) {
        report.check(line, o -> {
            int pid;
            Connection conn = db.connect();
            try {
                pid = Db.pid(conn);
                via.from(conn).close();
                o.require(conn.isClosed(), "conn.isClosed() is false after " + how);
            } finally {
                // So that a failure above does not leave the only pooled connection borrowed for the next step.
                if (!conn.isClosed()) {
                    conn.close();
                }
            }
            try (Connection next = db.connect()) {
                int nextPid = Db.pid(next);
                if (db.expectPooled()) {
                    o.require(nextPid == pid, "the next borrower got backend " + nextPid + ", not " + pid + ": " + how
                            + " closed the physical connection instead of returning it to the pool");
                }
            }
        });
    }
}
