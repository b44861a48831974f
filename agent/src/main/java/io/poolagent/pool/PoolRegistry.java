package io.poolagent.pool;

import io.poolagent.config.AgentConfig;
import io.poolagent.config.ConfigException;
import io.poolagent.config.JdbcUrlParameters;
import io.poolagent.config.PoolSettings;
import io.poolagent.log.AgentLog;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** All pools of this JVM, one per {@link PoolKey}, created on first use. */
public final class PoolRegistry {

    /** Opens a physical connection past the interception; supplied by the interception layer. */
    public interface PhysicalConnector {
        Connection connectPhysical(Driver driver, String url, Properties properties) throws SQLException;
    }

    /** Remembered for URLs the driver does not accept, so DriverManager's probing of every driver stays cheap. */
    private static final Object NOT_POOLED = new Object();
    /** JVM exit waits at most this long for idle connections to say goodbye to the server. */
    private static final long SHUTDOWN_GRACE_MILLIS = 2_000;

    private final AgentConfig config;
    private final ConcurrentHashMap<PoolKey, Object> pools = new ConcurrentHashMap<>();
    private final List<ConnectionPool> created = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean shutdownHookAdded;

    public PoolRegistry(AgentConfig config) {
        this.config = config;
    }

    /** The pool for this request, or null when the driver does not take the URL (the driver then answers itself). */
    public ConnectionPool poolFor(Driver driver, String url, Properties info, PhysicalConnector connector)
            throws SQLException {
        Map<String, String> properties = snapshot(info);
        PoolKey key = new PoolKey(driver, url, properties);
        Object pool = pools.get(key);
        if (pool == null) {
            pool = pools.computeIfAbsent(key, k -> newPool(driver, url, properties, connector));
        }
        return pool == NOT_POOLED ? null : (ConnectionPool) pool;
    }

    private Object newPool(Driver driver, String url, Map<String, String> properties, PhysicalConnector connector) {
        try {
            if (!driver.acceptsURL(url)) {
                return NOT_POOLED;
            }
        } catch (SQLException e) {
            return NOT_POOLED;
        }
        JdbcUrlParameters split = JdbcUrlParameters.split(url);
        PoolSettings settings;
        try {
            settings = config.settingsFor(split.poolParameters());
        } catch (ConfigException e) {
            AgentLog.error(e.getMessage() + "; connections to " + poolName(split.url(), properties) + " are not pooled");
            return NOT_POOLED;
        }
        String physicalUrl = split.url();
        Properties physical = new Properties();
        physical.putAll(properties);
        if (physicalUrl.startsWith("jdbc:postgresql:")) {
            // pgjdbc's own names for connect_timeout: connectTimeout bounds the socket connect, loginTimeout the
            // whole handshake. Values the application set in the URL or properties win (pgjdbc prefers the URL).
            String seconds = Long.toString(settings.connectTimeoutSeconds());
            physical.putIfAbsent("connectTimeout", seconds);
            physical.putIfAbsent("loginTimeout", seconds);
        }
        String name = poolName(physicalUrl, properties);
        ConnectionPool pool = new ConnectionPool(name, settings,
                () -> connector.connectPhysical(driver, physicalUrl, physical));
        created.add(pool);
        addShutdownHook();
        AgentLog.info("pool " + name + ": " + config.describeSources(split.poolParameters()) + "; driver "
                + driver.getClass().getName());
        return pool;
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
        String target = url.startsWith("jdbc:") ? url.substring(5) : url;
        int cut = target.length();
        for (char c : new char[] {'?', ';'}) {
            int i = target.indexOf(c);
            if (i >= 0 && i < cut) {
                cut = i;
            }
        }
        target = target.substring(0, cut);
        int scheme = target.indexOf("://");
        if (scheme >= 0) {
            target = target.substring(scheme + 3);
        }
        String user = properties.get("user");
        if (user == null) {
            user = queryValue(url, "user");
        }
        return user == null ? target : user + "@" + target;
    }

    private static String queryValue(String url, String key) {
        int q = url.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String pair : url.substring(q + 1).split("&")) {
            if (pair.startsWith(key + "=")) {
                return pair.substring(key.length() + 1);
            }
        }
        return null;
    }

    private void addShutdownHook() {
        if (shutdownHookAdded) {
            return;
        }
        shutdownHookAdded = true;
        Thread hook = new Thread(this::closeIdleAtExit, "pool-agent-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Closes idle connections cleanly at JVM exit (the server logs a disconnection, not a dropped socket), on a
     * worker so that a hung server cannot hold the exit for longer than the grace period.
     */
    private void closeIdleAtExit() {
        List<ConnectionPool> all;
        synchronized (created) {
            all = new ArrayList<>(created);
        }
        Thread worker = new Thread(() -> all.forEach(ConnectionPool::shutdown), "pool-agent-close");
        worker.setDaemon(true);
        worker.start();
        try {
            worker.join(TimeUnit.MILLISECONDS.toMillis(SHUTDOWN_GRACE_MILLIS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
