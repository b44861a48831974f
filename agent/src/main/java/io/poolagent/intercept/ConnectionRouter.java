package io.poolagent.intercept;

import io.poolagent.config.AgentConfig;
import io.poolagent.jmx.PoolMBeans;
import io.poolagent.log.AgentLog;
import io.poolagent.pool.ConnectionPool;
import io.poolagent.pool.DatabaseCap;
import io.poolagent.pool.DatabaseKey;
import io.poolagent.pool.PoolRegistry;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.PoolAgentBridge;
import java.sql.SQLException;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Decides, at each intercepted {@code Driver.connect}, DriverManager call and pooled DataSource's getConnection,
 * whether the call is the application's (route it to a pool), our pool's own (let it reach the real driver), or an
 * existing pool's such as HikariCP's (let it reach the driver too, but count the connection against
 * max_db_connections).
 */
final class ConnectionRouter implements PoolAgentBridge.Hook, PoolRegistry.PhysicalConnector {

    /**
     * Set while a connect must reach the real driver untouched: {@link Boolean#TRUE} while our pool opens a
     * physical connection; the max_db_connections permit while an existing pool's connect runs, so that it is
     * counted once at the outermost entry point (a DataSource's getConnection that reaches DriverManager and a
     * driver's connect is one connection). One thread-local, so the DriverManager path reads one.
     */
    private static final ThreadLocal<Object> BYPASS = new ThreadLocal<>();

    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

    private final PoolRegistry registry;
    private final Installer installer;
    /** Existing pools and databases already announced in the log, one line each. */
    private final Set<String> announced = ConcurrentHashMap.newKeySet();
    private final LibpqUrls libpqUrls = new LibpqUrls();
    /** Null unless DIRECT_URL is set: then migration tools' connects go there, unpooled. */
    private final DirectRoute direct;

    private ConnectionRouter(AgentConfig config, Installer installer) {
        this.registry = new PoolRegistry(config);
        registry.eventsFactory(io.poolagent.telemetry.Telemetry.factory(config));
        PoolMBeans.install(registry, config);
        if (config.logToSlf4j()) {
            // the first pool is made on an application thread, whose context loader sees the app's slf4j
            registry.addListener(pool -> AgentLog.useApplicationSlf4j(Thread.currentThread().getContextClassLoader()));
        }
        this.installer = installer;
        this.direct = DirectRoute.create(config);
    }

    /** Typed as Object so that the installer can be verified before the bridge interface exists. */
    static Object create(AgentConfig config, Installer installer) {
        return new ConnectionRouter(config, installer);
    }

    @Override
    public Object connect(Driver driver, String url, Properties info) throws SQLException {
        if (url == null || BYPASS.get() != null) {
            return null;
        }
        if (direct != null) {
            Connection migration = direct.connect(driver, url, info, this);
            if (migration != null) {
                return migration;
            }
        }
        String existingPool = PoolCallers.poolOnStack();
        if (existingPool != null) {
            return acceptsQuietly(driver, url)
                    ? passThrough(DatabaseKey.of(url, info), existingPool, DriverManager.getLoginTimeout()) : null;
        }
        ConnectionPool pool = registry.poolFor(driver, url, info, this);
        return pool == null ? null : pool.borrow();
    }

    @Override
    public Object dataSourceConnect(DataSource dataSource, String user, String password, boolean withCredentials)
            throws SQLException {
        if (BYPASS.get() != null || !DataSourceClasses.pooled(dataSource)) {
            return null;
        }
        String existingPool = PoolCallers.poolOnStack();
        if (existingPool != null) {
            int seconds = dataSource.getLoginTimeout();
            return passThrough(registry.dataSourceKey(dataSource, user), existingPool,
                    seconds > 0 ? seconds : DriverManager.getLoginTimeout());
        }
        ConnectionPool pool = registry.dataSourcePool(dataSource, user, password, withCredentials, this);
        return pool == null ? null : pool.borrow();
    }

    /**
     * An existing pool opens a real connection: take a max_db_connections permit, waiting up to the pool's own
     * login timeout (HikariCP sets it from its connectionTimeout), else pool_timeout.
     */
    private DatabaseCap.Permit passThrough(String key, String existingPool, int loginTimeoutSeconds)
            throws SQLException {
        long wait = loginTimeoutSeconds > 0 ? TimeUnit.SECONDS.toNanos(loginTimeoutSeconds) : registry.defaultWaitNanos();
        if (announced.add(existingPool + " " + key)) {
            AgentLog.notice(existingPool + " opens its own connections to " + key + ": they are not pooled again,"
                    + " and count against max_db_connections=" + registry.cap().max(key));
        }
        DatabaseCap.Permit permit = registry.cap().acquire(key, wait, existingPool);
        BYPASS.set(permit);
        return permit;
    }

    @Override
    public void opened(Object token, Connection connection, Throwable thrown) {
        DatabaseCap.Permit permit = (DatabaseCap.Permit) token;
        BYPASS.remove();
        if (connection != null && thrown == null) {
            registry.cap().watch(permit, connection);
        } else {
            registry.cap().release(permit);
        }
    }

    private static boolean acceptsQuietly(Driver driver, String url) {
        try {
            return driver.acceptsURL(url);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public Connection connectKnown(String url, Properties info, Class<?> caller) throws SQLException {
        ClassLoader loader = knownPathLoader(url, caller);
        ConnectionPool pool = loader == null ? null : registry.knownPool(url, info, loader);
        return pool == null ? null : pool.borrow();
    }

    @Override
    public Connection connectKnown(String url, String user, String password, Class<?> caller) throws SQLException {
        ClassLoader loader = knownPathLoader(url, caller);
        ConnectionPool pool = loader == null ? null : registry.knownPool(url, user, password, loader);
        return pool == null ? null : pool.borrow();
    }

    /**
     * The caller's class loader when DriverManager's fast path may serve this call from a known pool, else null:
     * then DriverManager runs as usual and the driver's connect decides. That is the case for our pool's own
     * connects, an existing pool's or a migration's, and callers in the boot or platform loader (DriverManager then
     * consults the context class loader; leave that case to it).
     */
    private ClassLoader knownPathLoader(String url, Class<?> caller) {
        if (url == null || caller == null || BYPASS.get() != null
                || (direct != null && direct.migrationOnStack())
                || (PoolCallers.mayActForPool(caller) && PoolCallers.poolOnStack() != null)) {
            return null;
        }
        ClassLoader loader = caller.getClassLoader();
        return loader == PLATFORM ? null : loader;
    }

    @Override
    public Object[] translate(String url, Properties info) throws SQLException {
        return LibpqUrls.isLibpq(url) ? libpqUrls.translate(url, info) : null;
    }

    @Override
    public Connection connectPhysical(Driver driver, String url, Properties properties) throws SQLException {
        BYPASS.set(Boolean.TRUE);
        try {
            return driver.connect(url, properties);
        } finally {
            BYPASS.remove();
        }
    }

    @Override
    public Connection connectPhysical(DataSource dataSource, String user, String password, boolean withCredentials)
            throws SQLException {
        BYPASS.set(Boolean.TRUE);
        try {
            return withCredentials ? dataSource.getConnection(user, password) : dataSource.getConnection();
        } finally {
            BYPASS.remove();
        }
    }

    @Override
    public void driverRegistered(Driver driver) {
        try {
            installer.instrument(driver);
        } catch (Throwable t) {
            AgentLog.warn("cannot instrument JDBC driver " + driver.getClass().getName(), t);
        }
    }
}
