package io.poolagent.intercept;

import io.poolagent.config.ConfigException;
import io.poolagent.config.DatabaseUrl;
import io.poolagent.config.JdbcTarget;

import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * libpq-style URLs ({@code postgresql://user:pass@host/db?...}) handed straight to DriverManager, as apps that read
 * DATABASE_URL themselves often do: no driver accepts them, so DriverManager would fail with "No suitable driver".
 * They are translated as DATABASE_URL is ({@link DatabaseUrl#toDriverCall()}), and the call goes on with the pgjdbc
 * URL and properties.
 */
final class LibpqUrls {

    /** Apps use one or two URLs; the bound only stops a pathological app from growing the cache without end. */
    private static final int MAX_CACHED = 64;

    private final ConcurrentHashMap<String, JdbcTarget> translated = new ConcurrentHashMap<>();

    static boolean isLibpq(String url) {
        return url != null && (url.regionMatches(true, 0, "postgresql://", 0, 13)
                || url.regionMatches(true, 0, "postgres://", 0, 11));
    }

    /**
     * {pgjdbc URL, properties}: the URL's own parameters and credentials over the caller's properties. The returned
     * properties may be shared between calls: callers must not change them.
     *
     * @throws SQLException (08001) naming what is wrong with a malformed URL, password redacted
     */
    Object[] translate(String url, Properties info) throws SQLException {
        JdbcTarget target = translated.get(url);
        if (target == null) {
            try {
                target = DatabaseUrl.parse(url, "URL").toDriverCall();
            } catch (ConfigException e) {
                throw new SQLException("pool-agent: " + e.withSource("DriverManager.getConnection").getMessage(),
                        "08001");
            }
            if (translated.size() < MAX_CACHED) {
                translated.put(url, target);
            }
        }
        if (info == null || info.isEmpty()) {
            return new Object[] {target.url(), target.properties()};
        }
        Properties merged = new Properties();
        for (String name : info.stringPropertyNames()) {
            merged.setProperty(name, info.getProperty(name));
        }
        merged.putAll(target.properties());
        return new Object[] {target.url(), merged};
    }
}
