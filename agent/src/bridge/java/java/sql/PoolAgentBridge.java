package java.sql;

import java.util.Properties;

/**
 * The one door from JDK and driver code into pool-agent.
 *
 * <p>Advice that the agent inlines into {@code java.sql.DriverManager} and into drivers' {@code connect} methods runs
 * in their class loaders, which cannot see the agent's isolated class loader. This class is defined at run time
 * inside module {@code java.sql} (platform loader, exported package), so every loader can see it; the agent sets
 * {@link #hook} once installed. Compiled against module java.sql; never on a class path.
 */
public final class PoolAgentBridge {

    /** What the agent does at the intercepted call sites. Implemented in the agent's own class loader. */
    public interface Hook {
        /**
         * Called on entry to {@code driver.connect(url, info)}. Returns a pooled connection (the driver's body is
         * skipped), null to let the driver's own code run unchanged (not ours to pool, or the pool itself
         * connecting), or a token that is not a Connection: the body runs, counted against max_db_connections,
         * and the token goes back to {@link #opened} on exit.
         */
        Object connect(Driver driver, String url, Properties info) throws SQLException;

        /**
         * Called on entry to {@code getConnection()} ({@code withCredentials} false) or
         * {@code getConnection(user, password)} of a DataSource class the agent pools. Returns like
         * {@link #connect}.
         */
        Object dataSourceConnect(javax.sql.DataSource dataSource, String user, String password,
                                 boolean withCredentials) throws SQLException;

        /**
         * Called on exit of a method whose entry returned a token: the physical connection it opened (null when
         * it threw, or found none), which the agent counts until it is closed.
         */
        void opened(Object token, Connection connection, Throwable thrown);

        /**
         * Called on entry to DriverManager's own getConnection: a pooled connection when a pool already serves this
         * URL and these properties with a driver the caller may use, else null (DriverManager then runs as usual).
         * Skips DriverManager's per-call scan of every registered driver.
         */
        Connection connectKnown(String url, Properties info, Class<?> caller) throws SQLException;

        /** The same for DriverManager.getConnection(url, user, password), before it builds its Properties. */
        Connection connectKnown(String url, String user, String password, Class<?> caller) throws SQLException;

        /**
         * Called by DriverManager's getConnection for a URL starting with "postgres" (any case): for a libpq-style URL
         * ({@code postgresql://user:pass@host/db?...}) that no driver accepts, {pgjdbc URL, properties} to connect
         * with instead; else null.
         */
        Object[] translate(String url, Properties info) throws SQLException;

        /** Called after {@code DriverManager.registerDriver}: the agent instruments the driver's connect. */
        void driverRegistered(Driver driver);
    }

    /** Null until the agent is installed, and whenever it stands aside. */
    public static volatile Hook hook;

    private PoolAgentBridge() {
    }
}
