package io.poolagent.intercept;

import io.poolagent.config.AgentConfig;
import io.poolagent.log.AgentLog;
import io.poolagent.pool.ConnectionPool;
import io.poolagent.pool.PoolRegistry;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.PoolAgentBridge;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Decides, at each intercepted {@code Driver.connect}, whether the call is the application's (route it to a pool)
 * or the pool's own (let it reach the real driver).
 */
final class ConnectionRouter implements PoolAgentBridge.Hook, PoolRegistry.PhysicalConnector {

    /** Set while a pool opens a physical connection, so that call passes through to the driver. */
    private static final ThreadLocal<Boolean> POOL_CONNECTING = new ThreadLocal<>();

    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

    private final PoolRegistry registry;
    private final Installer installer;

    private ConnectionRouter(AgentConfig config, Installer installer) {
        this.registry = new PoolRegistry(config);
        registry.eventsFactory(io.poolagent.telemetry.Telemetry.factory(config));
        this.installer = installer;
    }

    /** Typed as Object so that the installer can be verified before the bridge interface exists. */
    static Object create(AgentConfig config, Installer installer) {
        return new ConnectionRouter(config, installer);
    }

    @Override
    public Connection connect(Driver driver, String url, Properties info) throws SQLException {
        if (url == null || POOL_CONNECTING.get() != null) {
            return null;
        }
        ConnectionPool pool = registry.poolFor(driver, url, info, this);
        return pool == null ? null : pool.borrow();
    }

    @Override
    public Connection connectKnown(String url, Properties info, Class<?> caller) throws SQLException {
        if (url == null || caller == null || POOL_CONNECTING.get() != null) {
            return null;
        }
        ClassLoader loader = caller.getClassLoader();
        if (loader == null || loader == PLATFORM) {
            return null; // DriverManager then consults the context class loader; leave that case to it
        }
        ConnectionPool pool = registry.knownPool(url, info, loader);
        return pool == null ? null : pool.borrow();
    }

    @Override
    public Connection connectKnown(String url, String user, String password, Class<?> caller) throws SQLException {
        if (url == null || caller == null || POOL_CONNECTING.get() != null) {
            return null;
        }
        ClassLoader loader = caller.getClassLoader();
        if (loader == null || loader == PLATFORM) {
            return null;
        }
        ConnectionPool pool = registry.knownPool(url, user, password, loader);
        return pool == null ? null : pool.borrow();
    }

    @Override
    public Connection connectPhysical(Driver driver, String url, Properties properties) throws SQLException {
        POOL_CONNECTING.set(Boolean.TRUE);
        try {
            return driver.connect(url, properties);
        } finally {
            POOL_CONNECTING.remove();
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
