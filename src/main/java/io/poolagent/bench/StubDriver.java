package io.poolagent.bench;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * A JDBC driver with no database behind it: {@code connect} hands out a fresh {@link StubConnection} for any
 * {@code jdbc:stub:} URL, so the benchmarks measure the pools and the agent's path, not a network or a server.
 */
public final class StubDriver implements Driver {

    public static final String URL_PREFIX = "jdbc:stub:";

    /** Physical connections handed out in this JVM: a benchmark checks it stays at the pool size. */
    private static final AtomicInteger OPENED = new AtomicInteger();

    static {
        // Registering through DriverManager is what lets the agent see (and instrument) this driver, as it would a
        // real one.
        try {
            DriverManager.registerDriver(new StubDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Does nothing itself; calling it runs the static initialiser, which registers the driver. */
    public static void register() {
    }

    /** How many connections {@link #connect} has returned in this JVM. */
    public static int opened() {
        return OPENED.get();
    }

    @Override
    public Connection connect(String url, Properties info) {
        if (!acceptsURL(url)) {
            return null;
        }
        OPENED.incrementAndGet();
        return new StubConnection();
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(URL_PREFIX);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
        return 1;
    }

    @Override
    public int getMinorVersion() {
        return 0;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("stub driver");
    }
}
