package io.poolagent.pool;

import io.poolagent.config.AgentConfig;
import io.poolagent.config.ConfigException;
import io.poolagent.config.JdbcUrlParameters;
import io.poolagent.config.PoolSettings;
import io.poolagent.log.AgentLog;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * All pools of this JVM: one per (driver, JDBC URL, connection properties), created on first use.
 *
 * <p>Lookup is on every getConnection, so it copies nothing: pools are found by URL, then the few candidates'
 * properties are compared in place against the caller's {@link Properties}.
 */
public final class PoolRegistry {

    /** Opens a physical connection past the interception; supplied by the interception layer. */
    public interface PhysicalConnector {
        Connection connectPhysical(Driver driver, String url, Properties properties) throws SQLException;

        /**
         * The DataSource's own getConnection() or getConnection(user, password), past the interception; only the
         * interception layer opens through DataSources (a benchmark's connector need not).
         */
        default Connection connectPhysical(DataSource dataSource, String user, String password,
                                           boolean withCredentials) throws SQLException {
            throw new java.sql.SQLFeatureNotSupportedException("this connector opens through drivers only");
        }
    }

    /** Told of every pool as it is made (and, when added, of those made before): monitoring hooks in here. */
    public interface Listener {
        void poolCreated(ConnectionPool pool);
    }

    /** JVM exit waits at most this long for idle connections to say goodbye to the server. */
    private static final long SHUTDOWN_GRACE_MILLIS = 2_000;

    private final AgentConfig config;
    /** max_db_connections, shared by our pools and the existing pools whose connections pass through. */
    private final DatabaseCap cap;
    private final DataSourcePools dataSources = new DataSourcePools(this);
    /** Targets by the URL the application passed; usually one per URL. Arrays are replaced, never changed. */
    private final ConcurrentHashMap<String, Target[]> byUrl = new ConcurrentHashMap<>();
    /** Serialises the creation of targets, which is rare; lookups never take it. */
    private final ReentrantLock creating = new ReentrantLock();
    private final List<ConnectionPool> pools = new CopyOnWriteArrayList<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile PoolEvents.Factory eventsFactory;
    private volatile boolean shutdownHookAdded;
    /** Created under {@link #creating}, with the first pool. */
    private volatile ScheduledExecutorService housekeeper;

    /**
     * A driver, URL and property set the application connected with, and its pool: null when the driver does not
     * take the URL (remembered, so DriverManager's probing of every registered driver stays cheap) or the
     * settings for it were invalid.
     */
    private static final class Target {
        final Driver driver;
        final Map<String, String> properties;
        final ConnectionPool pool;
        /** The last caller class loader found to see this driver, as DriverManager requires. */
        volatile ClassLoader allowedLoader;

        Target(Driver driver, Map<String, String> properties, ConnectionPool pool) {
            this.driver = driver;
            this.properties = properties;
            this.pool = pool;
        }

        /** Same properties, compared without copying; a Properties with defaults takes the slow path. */
        boolean matches(Properties info) {
            if (info == null) {
                return properties.isEmpty();
            }
            if (info.size() != properties.size()) {
                return false;
            }
            for (Map.Entry<String, String> e : properties.entrySet()) {
                if (!e.getValue().equals(info.getProperty(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }

        /** The properties DriverManager.getConnection(url, user, password) would build: just those two. */
        boolean matches(String user, String password) {
            int size = (user == null ? 0 : 1) + (password == null ? 0 : 1);
            return properties.size() == size && (user == null || user.equals(properties.get("user")))
                    && (password == null || password.equals(properties.get("password")));
        }

        /** DriverManager hands a caller only drivers its class loader can see; the same rule here. */
        boolean allowedFor(ClassLoader loader) {
            if (loader == allowedLoader) {
                return true;
            }
            try {
                if (Class.forName(driver.getClass().getName(), true, loader) == driver.getClass()) {
                    allowedLoader = loader;
                    return true;
                }
            } catch (ClassNotFoundException | LinkageError | SecurityException e) {
                // not visible from that loader
            }
            return false;
        }
    }

    public PoolRegistry(AgentConfig config) {
        this.config = config;
        this.cap = new DatabaseCap(config.maxDbConnections(), config.maxDbConnectionsSet());
    }

    public DatabaseCap cap() {
        return cap;
    }

    /** The default settings' pool_timeout: how long an existing pool's connect waits under max_db_connections when it sets no timeout of its own. */
    public long defaultWaitNanos() {
        long t = config.defaults().poolTimeoutNanos();
        return t == 0 ? Long.MAX_VALUE : t;
    }

    /**
     * The pool for a getConnection call on a DataSource that opens a new physical connection per call, or null when
     * the call should run as without the agent. Pools are keyed by the DataSource's class, its configuration (its
     * readable properties) and the credentials passed.
     */
    public ConnectionPool dataSourcePool(DataSource dataSource, String user, String password, boolean withCredentials,
                                         PhysicalConnector connector) {
        return dataSources.poolFor(dataSource, user, password, withCredentials, connector);
    }

    /** JDBC subprotocols of well-known drivers, and the drivers' packages. */
    private static final String[][] DRIVER_PACKAGES = {
            {"postgresql", "org.postgresql."}, {"mysql", "com.mysql."}, {"mariadb", "org.mariadb."},
            {"h2", "org.h2."}, {"hsqldb", "org.hsqldb."}, {"sqlite", "org.sqlite."}, {"oracle", "oracle."},
            {"sqlserver", "com.microsoft.sqlserver."}, {"derby", "org.apache.derby."}, {"db2", "com.ibm.db2."},
            {"jtds", "net.sourceforge.jtds."}, {"firebirdsql", "org.firebirdsql."},
    };

    /**
     * For a DataSource pool, what {@link ConnectionPool#driverPackage()} is for a driver's: the package of the driver
     * its URL (or, without one, its class) names; else null. Not the DataSource's package: a home-grown DataSource
     * lives among the application's classes, whose frames a leak report must show.
     */
    static String driverPackage(String url, String dataSourceClass) {
        for (String[] d : DRIVER_PACKAGES) {
            if (dataSourceClass.startsWith(d[1])) {
                return d[1]; // first: MariaDB's DataSource takes jdbc:mysql: URLs too
            }
        }
        for (String[] d : DRIVER_PACKAGES) {
            if (url != null && url.regionMatches(true, 0, "jdbc:" + d[0] + ":", 0, d[0].length() + 6)) {
                return d[1];
            }
        }
        return null;
    }

    /** Used by {@link DataSourcePools}: a new pool whose physical connections come from the DataSource. */
    ConnectionPool newDataSourcePool(DataSource dataSource, String user, String password, boolean withCredentials,
                                     String url, String configuredUser, PhysicalConnector connector) {
        String effectiveUser = withCredentials ? user : configuredUser;
        String key = url != null ? DatabaseKey.of(url, effectiveUser) : dataSource.getClass().getName();
        String target = (effectiveUser == null ? "" : effectiveUser + "@") + key;
        PoolSettings settings;
        try {
            settings = config.settingsFor(Map.of(), target); // key@target settings apply here too
        } catch (ConfigException e) {
            AgentLog.error(e.getMessage() + "; the pool of " + target + " uses the default settings");
            settings = config.defaults();
        }
        String name = target + " ("
                + dataSource.getClass().getSimpleName() + (withCredentials ? ".getConnection(user, password))" : ".getConnection())");
        String database = url != null ? key : null; // without a URL the key is only the DataSource's class
        PgjdbcStartup startup = settings.pgbouncer() && url != null && PgjdbcStartup.isPgjdbc(url)
                ? PgjdbcStartup.forDataSource(url) : null;
        if (startup != null) {
            List<String> refused = PgjdbcStartup.refusedByPgBouncer(url);
            if (!refused.isEmpty()) {
                AgentLog.warn("pool " + name + ": pgbouncer=true, but the DataSource sets " + String.join(" and ",
                        refused) + ", which PgBouncer refuses at connect (unsupported startup parameter); the agent"
                        + " does not change a DataSource's settings");
            }
        }
        Opener open = () -> connector.connectPhysical(dataSource, user, password, withCredentials);
        ConnectionPool pool = new ConnectionPool(name, database, settings, new CappedFactory(key, name,
                startup == null ? open : () -> finished(open.open(), startup)),
                driverPackage(url, dataSource.getClass().getName()));
        started(pool, key);
        AgentLog.notice("pool " + name + ": " + config.describeSources(Map.of(), target) + "; DataSource "
                + dataSource.getClass().getName());
        return pool;
    }

    /** The database key of a DataSource's connections, for pass-through counting. */
    public String dataSourceKey(DataSource dataSource, String user) {
        return dataSources.key(dataSource, user);
    }

    /** The pool for this driver's connect, or null when the driver should answer itself. */
    public ConnectionPool poolFor(Driver driver, String url, Properties info, PhysicalConnector connector) {
        Target[] targets = byUrl.get(url);
        if (targets != null) {
            for (Target t : targets) {
                if (t.driver == driver && t.matches(info)) {
                    return t.pool;
                }
            }
        }
        return create(driver, url, info, connector).pool;
    }

    /**
     * For DriverManager: the pool already made for this URL and these properties with a driver the caller may
     * use, or null (DriverManager then runs as usual and its driver's connect comes to {@link #poolFor}).
     */
    public ConnectionPool knownPool(String url, Properties info, ClassLoader callerLoader) {
        Target[] targets = byUrl.get(url);
        if (targets != null) {
            for (Target t : targets) {
                if (t.pool != null && t.matches(info) && t.allowedFor(callerLoader)) {
                    return t.pool;
                }
            }
        }
        return null;
    }

    /** {@link #knownPool(String, Properties, ClassLoader)} for getConnection(url, user, password). */
    public ConnectionPool knownPool(String url, String user, String password, ClassLoader callerLoader) {
        Target[] targets = byUrl.get(url);
        if (targets != null) {
            for (Target t : targets) {
                if (t.pool != null && t.matches(user, password) && t.allowedFor(callerLoader)) {
                    return t.pool;
                }
            }
        }
        return null;
    }

    private Target create(Driver driver, String url, Properties info, PhysicalConnector connector) {
        Map<String, String> properties = snapshot(info);
        creating.lock();
        try {
            Target[] targets = byUrl.get(url);
            if (targets != null) {
                for (Target t : targets) {
                    if (t.driver == driver && t.properties.equals(properties)) {
                        return t;
                    }
                }
            }
            Target target = new Target(driver, properties, newPool(driver, url, properties, connector));
            Target[] grown = targets == null ? new Target[1] : Arrays.copyOf(targets, targets.length + 1);
            grown[grown.length - 1] = target;
            byUrl.put(url, grown);
            return target;
        } finally {
            creating.unlock();
        }
    }

    private ConnectionPool newPool(Driver driver, String url, Map<String, String> properties,
                                   PhysicalConnector connector) {
        try {
            if (!driver.acceptsURL(url)) {
                return null;
            }
        } catch (SQLException e) {
            return null;
        }
        JdbcUrlParameters split = JdbcUrlParameters.split(url);
        PoolSettings settings;
        Properties physical = new Properties();
        physical.putAll(properties);
        PgjdbcStartup pgjdbc = null;
        try {
            settings = config.settingsFor(split.poolParameters(), poolName(split.url(), properties));
            if (PgjdbcStartup.isPgjdbc(split.url())) {
                pgjdbc = PgjdbcStartup.of(split.url(), physical, settings.pgbouncer());
            }
        } catch (ConfigException e) {
            AgentLog.error(e.getMessage() + "; connections to " + poolName(split.url(), properties) + " are not pooled");
            return null;
        }
        String physicalUrl = pgjdbc == null ? split.url() : pgjdbc.url();
        if (pgjdbc != null) {
            // pgjdbc's own names for connect_timeout: connectTimeout bounds the socket connect, loginTimeout the
            // whole handshake. Values the application set in the URL or properties win (pgjdbc prefers the URL).
            String seconds = Long.toString(settings.connectTimeoutSeconds());
            physical.putIfAbsent("connectTimeout", seconds);
            physical.putIfAbsent("loginTimeout", seconds);
        }
        String name = poolName(physicalUrl, properties);
        String key = DatabaseKey.of(physicalUrl, physical);
        PgjdbcStartup startup = pgjdbc;
        ConnectionPool pool = new ConnectionPool(name, key, settings, new CappedFactory(key, name, startup == null
                ? () -> connector.connectPhysical(driver, physicalUrl, physical)
                : () -> finished(connector.connectPhysical(driver, physicalUrl, physical), startup)),
                driver.getClass().getPackageName() + ".");
        started(pool, key);
        List<String> late = startup == null ? List.of() : startup.lateSettings();
        AgentLog.notice("pool " + name + ": " + config.describeSources(split.poolParameters(), name) + "; driver "
                + driver.getClass().getName() + (late.isEmpty() ? ""
                : "; set after connecting, as PgBouncer refuses them at startup: " + String.join(", ", late)));
        return pool;
    }

    /** A new pgjdbc connection, finished as {@code startup} says; closed if that fails. */
    private static Connection finished(Connection c, PgjdbcStartup startup) throws SQLException {
        if (c != null) {
            try {
                startup.afterConnect(c);
            } catch (SQLException | RuntimeException e) {
                try {
                    c.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
        return c;
    }

    /** Called under {@link #creating}: telemetry first, so the pool's first borrow is already seen. */
    private void publish(ConnectionPool pool) {
        PoolEvents.Factory factory = eventsFactory;
        if (factory != null) {
            try {
                pool.events(factory.forPool(pool));
            } catch (Throwable t) {
                AgentLog.warn("telemetry for pool " + pool.name() + " could not be set up; the pool works without it", t);
            }
        }
        pools.add(pool);
        for (Listener listener : listeners) {
            notify(listener, pool);
        }
    }

    private static void notify(Listener listener, ConnectionPool pool) {
        try {
            listener.poolCreated(pool);
        } catch (Throwable t) {
            AgentLog.warn("monitoring of pool " + pool.name() + " could not be set up; the pool works without it", t);
        }
    }

    /** Telemetry for pools made from now on. Set it before the first pool, i.e. when the agent starts. */
    public void eventsFactory(PoolEvents.Factory factory) {
        this.eventsFactory = factory;
    }

    /** Adds a listener and tells it of the pools that exist already. */
    public void addListener(Listener listener) {
        creating.lock();
        try {
            listeners.add(listener);
            for (ConnectionPool pool : pools) {
                notify(listener, pool);
            }
        } finally {
            creating.unlock();
        }
    }

    /** The pools made so far. */
    public List<ConnectionPool> pools() {
        return List.copyOf(pools);
    }

    private void started(ConnectionPool pool, String key) {
        publish(pool);
        cap.register(key, pool);
        addShutdownHook();
        long period = pool.housekeepingPeriodNanos();
        housekeeper().scheduleWithFixedDelay(() -> housekeep(pool), 0, period, TimeUnit.NANOSECONDS);
    }

    /** Opens physical connections for one of our pools under max_db_connections, and frees the permit on close. */
    private final class CappedFactory implements ConnectionFactory {
        private final String key;
        private final String owner;
        private final Opener opener;
        /** Permits by connection; identity, since a Connection's equals is the driver's business. */
        private final Map<Connection, DatabaseCap.Permit> permits = new IdentityHashMap<>();

        CappedFactory(String key, String poolName, Opener opener) {
            this.key = key;
            this.owner = "pool-agent pool " + poolName;
            this.opener = opener;
        }

        @Override
        public Connection open(long waitNanos) throws SQLException {
            DatabaseCap.Permit permit = cap.acquire(key, waitNanos, owner);
            Connection c;
            try {
                c = opener.open();
            } catch (Throwable t) {
                cap.release(permit);
                throw t;
            }
            if (c == null) {
                cap.release(permit);
                return null;
            }
            synchronized (permits) { // open and close only, never I/O under it
                permits.put(c, permit);
            }
            return c;
        }

        @Override
        public void closed(Connection physical) {
            DatabaseCap.Permit permit;
            synchronized (permits) {
                permit = permits.remove(physical);
            }
            if (permit != null) {
                cap.release(permit);
            }
        }
    }

    @FunctionalInterface
    private interface Opener {
        Connection open() throws SQLException;
    }

    private static Map<String, String> snapshot(Properties info) {
        if (info == null || info.isEmpty()) {
            return Map.of();
        }
        Map<String, String> copy = new HashMap<>();
        for (String name : info.stringPropertyNames()) {
            copy.put(name, info.getProperty(name));
        }
        return copy;
    }

    /**
     * A readable pool name, {@code user@host:port/database}: the URL without its query or ;-options, either of
     * which may carry a password.
     */
    static String poolName(String url, Map<String, String> properties) {
        String target = DatabaseKey.withoutOptions(url.startsWith("jdbc:") ? url.substring(5) : url);
        int scheme = target.indexOf("://");
        if (scheme >= 0) {
            target = target.substring(scheme + 3);
        }
        String user = properties.get("user");
        if (user == null) {
            user = PgjdbcStartup.parameter(url, "user");
        }
        return user == null ? target : user + "@" + target;
    }

    /** One daemon thread for every pool's idle retirement and min_idle top-up; made with the first pool. */
    private ScheduledExecutorService housekeeper() {
        ScheduledExecutorService h = housekeeper;
        if (h == null) {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "pool-agent-housekeeper");
                t.setDaemon(true);
                return t;
            });
            executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            housekeeper = h = executor;
        }
        return h;
    }

    private static void housekeep(ConnectionPool pool) {
        try {
            pool.housekeep();
        } catch (Throwable t) {
            AgentLog.warn("housekeeping of pool " + pool.name() + " failed", t); // and goes on at the next run
        }
    }

    private void addShutdownHook() {
        if (shutdownHookAdded) {
            return;
        }
        shutdownHookAdded = true;
        Runtime.getRuntime().addShutdownHook(new Thread(this::closeIdleAtExit, "pool-agent-shutdown"));
    }

    /**
     * Closes idle connections cleanly at JVM exit (the server logs a disconnection, not a dropped socket), on a
     * worker so that a hung server cannot hold the exit for longer than the grace period.
     */
    private void closeIdleAtExit() {
        List<ConnectionPool> all = new ArrayList<>(pools);
        Thread worker = new Thread(() -> all.forEach(ConnectionPool::shutdown), "pool-agent-close");
        worker.setDaemon(true);
        worker.start();
        try {
            worker.join(SHUTDOWN_GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
