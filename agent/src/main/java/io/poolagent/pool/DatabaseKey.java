package io.poolagent.pool;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;

/**
 * Which database a physical connection goes to, for max_db_connections: {@code host:port/name} for PostgreSQL
 * (default port 5432, default database the user name, the name URL-decoded, as pgjdbc does), else the JDBC URL
 * without {@code jdbc:}, credentials, query or {@code ;}-options (e.g. {@code h2:mem:app},
 * {@code mysql://db:3306/app}). Hosts are compared as written: {@code localhost} and {@code 127.0.0.1} are two keys.
 */
public final class DatabaseKey {

    private DatabaseKey() {
    }

    public static String of(String url, Properties info) {
        String user = info == null ? null : info.getProperty("user");
        return of(url, user);
    }

    public static String of(String url, String user) {
        if (url == null) {
            return "(no URL)";
        }
        String s = url.startsWith("jdbc:") ? url.substring(5) : url;
        if (s.startsWith("postgresql:")) {
            return postgres(s.substring("postgresql:".length()), user);
        }
        s = withoutOptions(s);
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            int authority = scheme + 3;
            int at = s.indexOf('@', authority);
            int slash = s.indexOf('/', authority);
            if (at >= 0 && (slash < 0 || at < slash)) {
                s = s.substring(0, authority) + s.substring(at + 1); // credentials are not part of the database
            }
        }
        return s;
    }

    /** {@code url} up to its first '?' or ';': without query or driver options. */
    public static String withoutOptions(String url) {
        int cut = url.length();
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '?' || c == ';') {
                cut = i;
                break;
            }
        }
        return url.substring(0, cut);
    }

    /** {@code //host[:port][,host2[:port]]/db?...} or {@code db} or {@code /} (pgjdbc's forms). */
    private static String postgres(String rest, String user) {
        int q = rest.indexOf('?');
        String path = q < 0 ? rest : rest.substring(0, q);
        String hosts;
        String db;
        if (path.startsWith("//")) {
            int slash = path.indexOf('/', 2);
            hosts = slash < 0 ? path.substring(2) : path.substring(2, slash);
            db = slash < 0 ? "" : path.substring(slash + 1);
        } else {
            hosts = "localhost";
            db = path.startsWith("/") ? path.substring(1) : path;
        }
        if (hosts.isEmpty()) {
            hosts = "localhost";
        }
        StringBuilder key = new StringBuilder(hosts.length() + db.length() + 8);
        for (String host : hosts.split(",")) {
            if (key.length() > 0) {
                key.append(',');
            }
            String h = host.toLowerCase(Locale.ROOT);
            boolean hasPort = h.startsWith("[") ? h.contains("]:") : h.indexOf(':') >= 0;
            key.append(h);
            if (!hasPort) {
                key.append(":5432");
            }
        }
        try {
            db = URLDecoder.decode(db, StandardCharsets.UTF_8); // pgjdbc decodes the name in the URL
        } catch (IllegalArgumentException e) {
            // kept as written
        }
        if (db.isEmpty() && user != null) {
            db = user; // as the server has it: not decoded
        }
        return key.append('/').append(db).toString();
    }
}
