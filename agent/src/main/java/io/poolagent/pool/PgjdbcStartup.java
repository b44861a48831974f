package io.poolagent.pool;

import io.poolagent.config.ConfigException;

import java.lang.reflect.InvocationTargetException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * How the agent opens a pgjdbc connection, given the URL and properties the application asked for:
 * <ul>
 * <li>It reports an application_name: the application's own ({@code ApplicationName}, or libpq's
 *     {@code application_name}, which pgjdbc would ignore), else one derived from the application
 *     ({@link #derivedApplicationName(String)}), so that pg_stat_activity says whose connections they are.</li>
 * <li>For PgBouncer ({@code pgbouncer=true}): {@code prepareThreshold=0} unless the application set prepareThreshold
 *     itself (PgBouncer 1.21+ with max_prepared_statements can keep prepared statements that way), and no
 *     {@code currentSchema} or {@code options} in the startup packet, which PgBouncer refuses with 08P01
 *     "unsupported startup parameter"; they are set with set_config right after connecting instead.</li>
 * </ul>
 * pgjdbc reads a URL parameter in preference to the same property, so both places are looked at and cleaned.
 */
public final class PgjdbcStartup {

    private static final String PREFIX = "jdbc:postgresql:";
    private static volatile String derivedName;

    private final String url;
    private final Properties properties;
    /** Settings (name, value) to apply after connecting; empty unless pgbouncer=true moved them out of the startup. */
    private final List<String[]> settings;
    /**
     * Whether to turn server-side prepares off after connecting: for a DataSource's connections, whose startup the
     * agent does not write.
     */
    private final boolean serverPreparesOff;

    private PgjdbcStartup(String url, Properties properties, List<String[]> settings, boolean serverPreparesOff) {
        this.url = url;
        this.properties = properties;
        this.settings = settings;
        this.serverPreparesOff = serverPreparesOff;
    }

    public static boolean isPgjdbc(String url) {
        return url.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /**
     * @param url        a pgjdbc URL (see {@link #isPgjdbc(String)})
     * @param properties the application's properties; changed in place and kept
     * @throws ConfigException if pgbouncer=true and options holds something other than settings
     */
    public static PgjdbcStartup of(String url, Properties properties, boolean pgbouncer) {
        String cleaned = url;
        List<String[]> settings = new ArrayList<>(2);
        if (pgbouncer) {
            String schema = take("currentSchema", cleaned, properties);
            cleaned = withoutParameter(cleaned, "currentSchema");
            String options = take("options", cleaned, properties);
            cleaned = withoutParameter(cleaned, "options");
            if (schema != null && !schema.isEmpty()) {
                settings.add(new String[] {"search_path", schema});
            }
            if (options != null) {
                settings.addAll(parseOptions(options));
            }
            if (parameter(cleaned, "prepareThreshold") == null && properties.getProperty("prepareThreshold") == null) {
                properties.setProperty("prepareThreshold", "0");
            }
        }
        if (parameter(cleaned, "ApplicationName") == null && properties.getProperty("ApplicationName") == null) {
            String libpqName = parameter(cleaned, "application_name");
            if (libpqName == null) {
                libpqName = properties.getProperty("application_name");
            }
            String name = libpqName != null ? libpqName : derivedApplicationName();
            if (name != null && !name.isEmpty()) {
                properties.setProperty("ApplicationName", name);
            }
        }
        return new PgjdbcStartup(cleaned, properties, List.copyOf(settings), false);
    }

    /**
     * For the connections a pgjdbc DataSource opens, whose startup the agent does not write and whose settings it
     * does not change, with pgbouncer=true: server-side prepares are turned off on each new connection
     * (PGConnection.setPrepareThreshold(0)) unless the DataSource's URL sets prepareThreshold.
     *
     * @param dataSourceUrl the DataSource's URL getter's value. pgjdbc's own DataSources list there every property
     *                      set on them; a prepareThreshold another DataSource keeps elsewhere is not seen.
     */
    public static PgjdbcStartup forDataSource(String dataSourceUrl) {
        boolean preparesOff = parameter(dataSourceUrl, "prepareThreshold") == null;
        return new PgjdbcStartup(dataSourceUrl, new Properties(), List.of(), preparesOff);
    }

    /**
     * Startup parameters in a DataSource's URL that PgBouncer refuses with 08P01 "unsupported startup parameter"
     * (see {@link #of}); for a DataSource the agent cannot move them, so it can only say so.
     */
    public static List<String> refusedByPgBouncer(String dataSourceUrl) {
        List<String> refused = new ArrayList<>(2);
        for (String key : new String[] {"currentSchema", "options"}) {
            if (parameter(dataSourceUrl, key) != null) {
                refused.add(key);
            }
        }
        return refused;
    }

    public String url() {
        return url;
    }

    public Properties properties() {
        return properties;
    }

    /** Names of the settings applied after connecting, for the pool's log line; empty if none. */
    public List<String> lateSettings() {
        List<String> names = new ArrayList<>(settings.size());
        for (String[] s : settings) {
            names.add(s[0]);
        }
        return names;
    }

    /** Applies what the startup packet could not carry; on failure the caller closes the connection. */
    public void afterConnect(Connection c) throws SQLException {
        if (serverPreparesOff) {
            turnOffServerPrepares(c);
        }
        if (settings.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config(?, ?, false)")) {
            for (String[] s : settings) {
                ps.setString(1, s[0]);
                ps.setString(2, s[1]);
                ps.execute();
            }
        }
    }

    /** PGConnection.setPrepareThreshold(0), reflectively: the agent does not link against the driver. */
    private static void turnOffServerPrepares(Connection c) throws SQLException {
        try {
            Class<?> pgConnection = Class.forName("org.postgresql.PGConnection", false, c.getClass().getClassLoader());
            pgConnection.getMethod("setPrepareThreshold", int.class).invoke(c.unwrap(pgConnection), 0);
        } catch (InvocationTargetException e) {
            throw new SQLException("pool-agent: pgbouncer=true, and setPrepareThreshold(0) failed: " + e.getCause(),
                    "08001", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new SQLException("pool-agent: pgbouncer=true, but server-side prepares of " + c.getClass().getName()
                    + " cannot be turned off: " + e, "08001", e);
        }
    }

    /** The effective value (pgjdbc: the URL's over the property's), removed from the properties. */
    private static String take(String key, String url, Properties properties) {
        String fromUrl = parameter(url, key);
        Object fromProperties = properties.remove(key);
        return fromUrl != null ? fromUrl : fromProperties == null ? null : fromProperties.toString();
    }

    /** A URL query parameter's value, decoded as pgjdbc decodes it, or null. */
    static String parameter(String url, String key) {
        int q = url.indexOf('?');
        if (q < 0) {
            return null;
        }
        String found = null;
        for (String pair : url.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            if (k.equals(key)) {
                String raw = eq < 0 ? "" : pair.substring(eq + 1);
                try {
                    found = URLDecoder.decode(raw, StandardCharsets.UTF_8); // the last one wins, as in pgjdbc
                } catch (IllegalArgumentException e) {
                    found = raw;
                }
            }
        }
        return found;
    }

    static String withoutParameter(String url, String key) {
        int q = url.indexOf('?');
        if (q < 0) {
            return url;
        }
        StringBuilder sb = new StringBuilder(url.length()).append(url, 0, q);
        char sep = '?';
        for (String pair : url.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (pair.isEmpty() || (eq < 0 ? pair : pair.substring(0, eq)).equals(key)) {
                continue;
            }
            sb.append(sep).append(pair);
            sep = '&';
        }
        return sb.toString();
    }

    /**
     * libpq's options: command-line switches separated by spaces, a backslash escaping the next character. Only
     * settings can be applied after connecting: {@code -c name=value}, {@code -cname=value}, {@code --name=value}.
     */
    static List<String[]> parseOptions(String options) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < options.length(); i++) {
            char c = options.charAt(i);
            if (c == '\\' && i + 1 < options.length()) {
                word.append(options.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        List<String[]> settings = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            String assignment;
            if (w.equals("-c") && i + 1 < words.size()) {
                assignment = words.get(++i);
            } else if (w.startsWith("-c") && w.length() > 2) {
                assignment = w.substring(2);
            } else if (w.startsWith("--") && w.length() > 2) {
                int eq = w.indexOf('=');
                // the server reads --name-with-dashes=value as name_with_dashes
                assignment = eq < 0 ? w : w.substring(2, eq).replace('-', '_') + w.substring(eq);
            } else {
                throw badOptions(options);
            }
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw badOptions(options);
            }
            settings.add(new String[] {assignment.substring(0, eq), assignment.substring(eq + 1)});
        }
        return settings;
    }

    private static ConfigException badOptions(String options) {
        return new ConfigException("options", options, "with pgbouncer=true, options can only hold settings"
                + " (-c name=value), which the agent sets after connecting because PgBouncer refuses options");
    }

    /** {@link #derivedApplicationName(String)} of this JVM's command, computed once. */
    static String derivedApplicationName() {
        String name = derivedName;
        if (name == null) {
            derivedName = name = derivedApplicationName(System.getProperty("sun.java.command"));
        }
        return name;
    }

    /**
     * A name for the application from its launch command ({@code sun.java.command}): the jar's file name without
     * {@code .jar} for {@code java -jar app.jar}, else the main class's simple name ({@code com.acme.Main} gives
     * {@code Main}; {@code -m mod/com.acme.Main} the same). Empty when the command is unknown.
     */
    static String derivedApplicationName(String command) {
        if (command == null || command.isBlank()) {
            return "";
        }
        String first = command.strip().split("\\s+", 2)[0];
        if (first.regionMatches(true, first.length() - 4, ".jar", 0, 4)) {
            int slash = Math.max(first.lastIndexOf('/'), first.lastIndexOf('\\'));
            return first.substring(slash + 1, first.length() - 4);
        }
        int module = first.indexOf('/');
        if (module >= 0) {
            first = first.substring(module + 1);
        }
        return first.substring(first.lastIndexOf('.') + 1);
    }
}
