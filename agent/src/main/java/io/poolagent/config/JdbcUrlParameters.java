package io.poolagent.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Takes the pool keys ({@link PoolSettings#KEYS}) out of an ordinary JDBC URL, so that an application may write
 * {@code jdbc:postgresql://h/db?connection_limit=5} and the driver still sees a URL without them.
 *
 * <p>This runs on every intercepted connect, so the common case (no pool key) allocates only the result object.
 * Parameter names are compared exactly and not decoded, as pgjdbc does; values are decoded as pgjdbc decodes them
 * ({@link URLDecoder}, where '+' is a space), and kept as written if they are not valid percent-encoding, so that
 * validation reports the text the user wrote. A URL without '?' (e.g. {@code jdbc:h2:mem:x;MODE=PostgreSQL}) is
 * returned unchanged.
 */
public final class JdbcUrlParameters {
    private final String url;
    private final Map<String, String> poolParameters;

    private JdbcUrlParameters(String url, Map<String, String> poolParameters) {
        this.url = url;
        this.poolParameters = poolParameters;
    }

    /**
     * @param jdbcUrl any JDBC URL, or null (returned as is)
     */
    public static JdbcUrlParameters split(String jdbcUrl) {
        int query = jdbcUrl == null ? -1 : jdbcUrl.indexOf('?');
        if (query < 0 || !containsPoolKey(jdbcUrl, query + 1)) {
            return new JdbcUrlParameters(jdbcUrl, Map.of());
        }
        StringBuilder kept = new StringBuilder(jdbcUrl.length()).append(jdbcUrl, 0, query);
        Map<String, String> pool = new LinkedHashMap<>();
        boolean first = true;
        int p = query + 1;
        while (p <= jdbcUrl.length()) {
            int amp = jdbcUrl.indexOf('&', p);
            int end = amp < 0 ? jdbcUrl.length() : amp;
            String key = poolKeyAt(jdbcUrl, p, end);
            if (key != null) {
                int eq = p + key.length();
                String raw = eq < end ? jdbcUrl.substring(eq + 1, end) : "";
                // the last value wins, as with pgjdbc's URL properties; a Prisma alias counts as its key
                pool.put(PoolSettings.urlPoolKey(key), decode(raw));
            } else if (end > p) { // empty segments are dropped once the query is rebuilt anyway
                kept.append(first ? '?' : '&').append(jdbcUrl, p, end);
                first = false;
            }
            if (amp < 0) {
                break;
            }
            p = amp + 1;
        }
        return new JdbcUrlParameters(kept.toString(), Collections.unmodifiableMap(pool));
    }

    private static boolean containsPoolKey(String url, int from) {
        int p = from;
        while (true) {
            int amp = url.indexOf('&', p);
            int end = amp < 0 ? url.length() : amp;
            if (poolKeyAt(url, p, end) != null) {
                return true;
            }
            if (amp < 0) {
                return false;
            }
            p = amp + 1;
        }
    }

    private static final String[] URL_KEYS = urlKeys();

    private static String[] urlKeys() {
        List<String> keys = new ArrayList<>(PoolSettings.KEYS);
        keys.addAll(PoolSettings.prismaAliases());
        return keys.toArray(new String[0]);
    }

    /** The pool key or Prisma alias that segment url[from, end) sets ("key=value" or a bare "key"), or null. */
    private static String poolKeyAt(String url, int from, int end) {
        for (String k : URL_KEYS) {
            int after = from + k.length();
            if (after <= end && url.startsWith(k, from) && (after == end || url.charAt(after) == '=')) {
                return k;
            }
        }
        return null;
    }

    private static String decode(String raw) {
        if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) {
            return raw;
        }
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }

    /** The URL without the pool keys; the same String object if it had none. */
    public String url() {
        return url;
    }

    /** The pool keys found, decoded, in order of appearance; empty if none. */
    public Map<String, String> poolParameters() {
        return poolParameters;
    }
}
