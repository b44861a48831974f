package io.poolagent.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The connection a "borrow only" benchmark took, closed after each invocation. JMH runs invocation-level fixtures
 * outside the timed part of a SampleTime measurement, so the sample is the borrow alone: the wait for a
 * connection, which is what a borrower's latency target is about.
 */
@State(Scope.Thread)
public class BorrowedConnection {

    Connection connection;

    @TearDown(Level.Invocation)
    public void giveBack() throws SQLException {
        Connection c = connection;
        if (c != null) {
            connection = null;
            c.close();
        }
    }
}
