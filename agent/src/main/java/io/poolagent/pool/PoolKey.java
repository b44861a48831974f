package io.poolagent.pool;

import java.sql.Driver;
import java.util.Map;
import java.util.Objects;

/**
 * What makes two connection requests interchangeable: the same driver, URL and properties (user and password
 * among them). Requests that differ in any of these never share a physical connection.
 */
final class PoolKey {

    private final Driver driver;
    private final String url;
    private final Map<String, String> properties;
    private final int hash;

    PoolKey(Driver driver, String url, Map<String, String> properties) {
        this.driver = driver;
        this.url = url;
        this.properties = properties;
        this.hash = (System.identityHashCode(driver) * 31 + url.hashCode()) * 31 + properties.hashCode();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PoolKey)) {
            return false;
        }
        PoolKey k = (PoolKey) o;
        return driver == k.driver && hash == k.hash && url.equals(k.url) && properties.equals(k.properties);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Never shows the properties: they hold the password. */
    @Override
    public String toString() {
        return Objects.toString(driver.getClass().getName()) + " " + PoolRegistry.poolName(url, properties);
    }
}
