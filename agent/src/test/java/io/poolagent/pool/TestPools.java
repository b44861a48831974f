package io.poolagent.pool;

import io.poolagent.config.PoolSettings;

import java.lang.reflect.Proxy;
import java.sql.Connection;

/** Pools over stub connections, for tests of what watches a pool (telemetry); database behaviour is tested e2e. */
public final class TestPools {

    private TestPools() {
    }

    public static Connection stubConnection() {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAutoCommit", "isValid" -> true;
                    case "isClosed" -> false;
                    default -> null;
                });
    }

    /** A pool named like the registry names them, with the given events installed before first use. */
    public static ConnectionPool pool(String name, PoolSettings settings, PoolEvents.Factory events) {
        return pool(name, null, "org.postgresql.", settings, events);
    }

    /** The same, of a given database key (see DatabaseKey) and driver package. */
    public static ConnectionPool pool(String name, String database, String driverPackage, PoolSettings settings,
                                      PoolEvents.Factory events) {
        ConnectionPool pool = new ConnectionPool(name, database, settings, wait -> stubConnection(), driverPackage);
        pool.events(events.forPool(pool));
        return pool;
    }

    /** Runs the housekeeper's pass once (leak checks, idle retirement). */
    public static void housekeep(ConnectionPool pool) {
        pool.housekeep();
    }
}
