package app.features;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.copy.CopyManager;

import java.io.StringReader;
import java.io.StringWriter;
import java.sql.Connection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The driver's own API on a DriverManager connection: the casts and calls pgjdbc documents. */
final class DriverInterfaceChecks {

    private static final int COPY_ROWS = 1000;
    private static final String CHANNEL = "features_chan";

    private DriverInterfaceChecks() {
    }

    static void pgInterfaces(Db db, Report report) throws Exception {
        try (Connection conn = db.connect()) {
            int serverPid = Db.pid(conn);
            report.check("pg-interfaces-cast", o -> {
                PGConnection pg = (PGConnection) conn;
                o.equal("((PGConnection) conn).getBackendPID()", serverPid, pg.getBackendPID());
            });
            report.check("pg-interfaces-unwrap", o -> {
                PGConnection pg = conn.unwrap(PGConnection.class);
                o.require(pg != null, "unwrap(PGConnection.class) returned null");
                if (pg != null) {
                    o.equal("unwrap(PGConnection.class).getBackendPID()", serverPid, pg.getBackendPID());
                }
            });
            report.check("pg-interfaces-is-wrapper-for",
                    o -> o.require(conn.isWrapperFor(PGConnection.class), "isWrapperFor(PGConnection.class) is false"));
            // Code may cast to any interface the driver's connection class implements, not only PGConnection.
            report.check("pg-interfaces-all", o -> {
                Class<?> driverConnection = Class.forName("org.postgresql.jdbc.PgConnection");
                List<String> missing = new ArrayList<>();
                for (Class<?> i : allInterfaces(driverConnection)) {
                    if (!i.isInstance(conn)) {
                        missing.add(i.getName());
                    }
                }
                o.require(missing.isEmpty(), conn.getClass().getName() + " does not implement " + missing);
            });
        }
    }

    private static Set<Class<?>> allInterfaces(Class<?> type) {
        Set<Class<?>> all = new LinkedHashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            todo.addAll(List.of(c.getInterfaces()));
        }
        while (!todo.isEmpty()) {
            Class<?> i = todo.pop();
            if (all.add(i)) {
                todo.addAll(List.of(i.getInterfaces()));
            }
        }
        return all;
    }

    static void copy(Db db, Report report) {
        report.check("copy", o -> {
            try (Connection conn = db.connect()) {
                Db.execute(conn, "DROP TABLE IF EXISTS features_copy");
                Db.execute(conn, "CREATE TABLE features_copy(id int PRIMARY KEY, note text)");
                StringBuilder in = new StringBuilder();
                for (int i = 1; i <= COPY_ROWS; i++) {
                    in.append(i).append('\t').append("note ").append(i).append('\n');
                }
                CopyManager copy = ((PGConnection) conn).getCopyAPI();
                long copiedIn = copy.copyIn("COPY features_copy(id, note) FROM STDIN",
                        new StringReader(in.toString()));
                o.equal("rows copied in", (long) COPY_ROWS, copiedIn);
                StringWriter out = new StringWriter();
                long copiedOut = copy.copyOut("COPY (SELECT id, note FROM features_copy ORDER BY id) TO STDOUT", out);
                o.equal("rows copied out", (long) COPY_ROWS, copiedOut);
                o.require(out.toString().equals(in.toString()), "what COPY TO STDOUT wrote differs from what went in");
                o.equal("count(*)", String.valueOf(COPY_ROWS), Db.query(conn, "SELECT count(*) FROM features_copy"));
                o.note(COPY_ROWS + " rows in and out");
            }
        });
    }

    static void listenNotify(Db db, Report report) {
        report.check("listen-notify", o -> {
            try (Connection listener = db.connect()) {
                Db.execute(listener, "LISTEN " + CHANNEL);
                int listenerPid = Db.pid(listener);
                int notifierPid;
                try (Connection notifier = db.connect()) {
                    notifierPid = Db.pid(notifier);
                    if (notifierPid == listenerPid) {
                        o.require(false, "the notifying connection has the listener's backend " + listenerPid
                                + ": the check needs two connections at once (connection_limit >= 2 under a pool)");
                        return;
                    }
                    Db.execute(notifier, "NOTIFY " + CHANNEL + ", 'hello'");
                }
                PGConnection pg = (PGConnection) listener;
                List<String> received = new ArrayList<>();
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (received.isEmpty() && System.nanoTime() < deadline) {
                    PGNotification[] batch = pg.getNotifications(5000);
                    if (batch != null) {
                        for (PGNotification n : batch) {
                            received.add(n.getName() + ":" + n.getParameter() + " from " + n.getPID());
                        }
                    }
                }
                String expected = CHANNEL + ":hello from " + notifierPid;
                o.require(received.contains(expected), "expected notification " + expected + ", received " + received);
                o.note("listener backend " + listenerPid + " got 'hello' from backend " + notifierPid);
            }
        });
    }
}
