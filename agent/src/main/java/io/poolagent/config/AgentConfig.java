package io.poolagent.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The agent's configuration, read once at start-up from, highest precedence first:
 * <ol>
 * <li>agent arguments: {@code -javaagent:pool-agent.jar=connection_limit=15,pool_timeout=20} (comma-separated
 *     {@code key=value}; a value therefore cannot contain a comma, and no setting needs one);</li>
 * <li>system properties {@code -Dpoolagent.<key>};</li>
 * <li>environment variables {@code POOL_AGENT_<KEY>} (key upper-cased);</li>
 * <li>the query of the {@code DATABASE_URL} environment variable (pool keys only);</li>
 * <li>Prisma's defaults.</li>
 * </ol>
 * A pool whose own JDBC URL carries pool keys ({@link #settingsFor(Map)}) ranks those between 3 and 4.
 *
 * <p>Sources 1 and 2 may also set a pool key for some pools only, as {@code key@target}: {@code target} is a
 * database ({@code connection_limit@analytics=5}), a user and database ({@code connection_limit@reporter@analytics=2}),
 * or a pool name ({@code host:port/database}, with or without {@code user@}). Such a value beats every unscoped one,
 * and the most specific target wins (a user and database beat a database). Environment variable names cannot
 * carry {@code @}, so there is no environment form.
 *
 * <p>The agent keys {@code enabled}, {@code strict}, {@code log_level}, {@code log_to}, {@code jmx}, {@code opentelemetry},
 * {@code trace_all_borrows},
 * {@code max_db_connections}, {@code pooled_datasources} and {@code migration_callers} are read from sources 1 to 3
 * only. {@code DIRECT_URL}, like {@code DATABASE_URL}, is an environment variable. Unknown names in sources 1 to 3
 * are errors (most likely typos that would otherwise be silently ignored). Keys and values from sources 1 to 3 are
 * trimmed.
 */
public final class AgentConfig {

    private static final List<String> AGENT_KEYS = List.of("enabled", "strict", "log_level", "log_to", "jmx",
            "opentelemetry", "trace_all_borrows", "max_db_connections", "pooled_datasources", "migration_callers");
    /** The environment variable naming the unpooled server for migrations (Prisma's directUrl). */
    public static final String DIRECT_URL = "DIRECT_URL";
    /** Class-name prefixes of migration tools, whose connections go to DIRECT_URL when it is set. */
    public static final List<String> DEFAULT_MIGRATION_CALLERS = List.of("org.flywaydb.", "liquibase.");
    /** Every setting name sources 1 to 3 accept. */
    public static final List<String> KEYS = concat(PoolSettings.KEYS, AGENT_KEYS);

    static final String SYSTEM_PROPERTY_PREFIX = "poolagent.";
    static final String ENV_PREFIX = "POOL_AGENT_";
    static final String AGENT_ARGUMENTS = "agent arguments";
    static final String SOURCE_CONNECTION_URL = "JDBC URL";
    static final String SOURCE_DEFAULT = "default";

    /** Quietest first; quiet, the default, is warnings and errors plus one line per pool with its settings. */
    private static final List<String> LOG_LEVELS = List.of("error", "warn", "quiet", "info", "debug");

    /** A raw value and where it came from, e.g. ("20", "-Dpoolagent.pool_timeout"). */
    private record Sourced(String value, String source) {
    }

    /** The winning value of each key from sources 1 to 3. */
    private final Map<String, Sourced> overrides;
    private final DatabaseUrl databaseUrl;
    private DatabaseUrl directUrl;
    private final List<String> migrationCallers;
    private final boolean enabled;
    private final boolean strict;
    private final String logLevel;
    private final boolean logToSlf4j;
    private final boolean jmx;
    private final boolean openTelemetry;
    private final boolean traceAllBorrows;
    private final PoolSettings defaults;
    private final String defaultsSources;
    private final int maxDbConnections;
    private final boolean maxDbConnectionsSet;
    private final List<String> pooledDataSources;

    private AgentConfig(Map<String, Sourced> overrides, DatabaseUrl databaseUrl) {
        this.overrides = overrides;
        this.databaseUrl = databaseUrl;
        this.enabled = bool("enabled", true);
        this.strict = bool("strict", false);
        this.jmx = bool("jmx", true);
        Sourced logTo = overrides.get("log_to");
        if (logTo == null || logTo.value().equalsIgnoreCase("stderr")) {
            this.logToSlf4j = false;
        } else if (logTo.value().equalsIgnoreCase("slf4j")) {
            this.logToSlf4j = true;
        } else {
            throw new ConfigException("log_to", logTo.value(), "must be stderr or slf4j").withSource(logTo.source());
        }
        this.openTelemetry = bool("opentelemetry", true);
        this.traceAllBorrows = bool("trace_all_borrows", false);
        Sourced level = overrides.get("log_level");
        if (level == null) {
            this.logLevel = "quiet";
        } else {
            String l = level.value().toLowerCase(Locale.ROOT);
            if (!LOG_LEVELS.contains(l)) {
                throw new ConfigException("log_level", level.value(), "must be one of " + String.join(", ", LOG_LEVELS))
                        .withSource(level.source());
            }
            this.logLevel = l;
        }
        this.migrationCallers = migrationCallers(overrides.get("migration_callers"));
        for (Map.Entry<String, Sourced> e : overrides.entrySet()) {
            int at = e.getKey().indexOf('@');
            if (at > 0) { // a scoped value is checked now, not when a pool it names first appears
                try {
                    PoolSettings.parse(Map.of(e.getKey().substring(0, at), e.getValue().value()));
                } catch (ConfigException bad) {
                    throw new ConfigException(e.getKey(), e.getValue().value(), bad.reason())
                            .withSource(e.getValue().source());
                }
            }
        }
        String[] sources = new String[PoolSettings.KEYS.size()];
        this.defaults = resolve(Map.of(), sources);
        this.defaultsSources = describe(defaults, sources);
        Sourced cap = overrides.get("max_db_connections");
        if (cap == null && databaseUrl != null && databaseUrl.parameters().containsKey(DatabaseUrl.MAX_DB_CONNECTIONS)) {
            cap = new Sourced(databaseUrl.parameters().get(DatabaseUrl.MAX_DB_CONNECTIONS).trim(), DatabaseUrl.KEY);
        }
        this.maxDbConnectionsSet = cap != null;
        if (cap == null) {
            this.maxDbConnections = defaults.connectionLimit();
        } else {
            try {
                this.maxDbConnections = PoolSettings.parseConnectionLimit(cap.value());
            } catch (ConfigException e) {
                throw new ConfigException("max_db_connections", cap.value(),
                        "must be a whole number of at least 1").withSource(cap.source());
            }
        }
        Sourced names = overrides.get("pooled_datasources");
        this.pooledDataSources = names == null ? List.of() : classNames(names);
    }

    /** Class names separated by semicolons or spaces (agent arguments already use commas). */
    private static List<String> classNames(Sourced names) {
        List<String> out = new ArrayList<>();
        for (String name : names.value().split("[;\\s]+")) {
            if (name.isEmpty()) {
                continue;
            }
            if (!isClassNamePrefix(name) || name.endsWith(".")) { // a whole class name, not a package
                throw new ConfigException("pooled_datasources", names.value(),
                        "must be fully qualified class names separated by ';' or spaces; \"" + name + "\" is not one")
                        .withSource(names.source());
            }
            out.add(name);
        }
        return List.copyOf(out);
    }

    /**
     * @param agentArgs        the premain argument string, may be null
     * @param env              the environment (System.getenv() in production), may be null
     * @param systemProperties the system properties, may be null
     * @throws ConfigException naming the key, the (redacted) value and its source
     */
    private List<String> ignoredVariables = List.of();

    public static AgentConfig load(String agentArgs, Map<String, String> env, Properties systemProperties) {
        Map<String, Sourced> overrides = new HashMap<>();
        List<String> ignored = new ArrayList<>();
        // lowest precedence first, so that higher sources overwrite; every source is checked for unknown names
        if (env != null) {
            for (Map.Entry<String, String> e : env.entrySet()) {
                String name = e.getKey();
                if (name.startsWith(ENV_PREFIX) && e.getValue() != null) {
                    String key = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT);
                    // A container's environment is shared with other tools (a POOL_AGENT_JAR path, say), so an
                    // unknown variable is ignored with a warning; on the command line it is a mistake.
                    if (KEYS.contains(key)) {
                        put(overrides, key, e.getValue(), name);
                    } else {
                        ignored.add(name);
                    }
                }
            }
        }
        if (systemProperties != null) {
            for (String name : systemProperties.stringPropertyNames()) {
                if (name.startsWith(SYSTEM_PROPERTY_PREFIX)) {
                    String key = name.substring(SYSTEM_PROPERTY_PREFIX.length()).trim();
                    String value = systemProperties.getProperty(name);
                    if (value != null) {
                        put(overrides, key, value, "-D" + name);
                    }
                }
            }
        }
        if (agentArgs != null) {
            int p = 0;
            while (p <= agentArgs.length()) {
                int comma = agentArgs.indexOf(',', p);
                int end = comma < 0 ? agentArgs.length() : comma;
                String item = agentArgs.substring(p, end);
                if (!item.isBlank()) {
                    int eq = item.indexOf('=');
                    if (eq < 0) {
                        // the item is redacted: someone may have passed a URL here
                        throw new ConfigException(Redaction.redactUri(item.trim()), null,
                                "expected key=value in the agent arguments"
                                + " (settings are separated by commas, so a value cannot contain one)")
                                .withSource(AGENT_ARGUMENTS);
                    }
                    put(overrides, item.substring(0, eq).trim(), item.substring(eq + 1), AGENT_ARGUMENTS);
                }
                if (comma < 0) {
                    break;
                }
                p = comma + 1;
            }
        }

        DatabaseUrl url = null;
        String raw = env == null ? null : env.get(DatabaseUrl.KEY);
        if (raw != null && !raw.isBlank()) {
            try {
                url = DatabaseUrl.parse(raw);
            } catch (ConfigException e) {
                // a malformed URL is reported as DATABASE_URL "<redacted>", a bad parameter under its own name
                throw e.withSource(DatabaseUrl.KEY.equals(e.key()) ? "environment" : DatabaseUrl.KEY);
            }
        }
        AgentConfig config = new AgentConfig(overrides, url);
        config.ignoredVariables = List.copyOf(ignored);
        String direct = env == null ? null : env.get(DIRECT_URL);
        if (direct != null && !direct.isBlank()) {
            try {
                config.directUrl = DatabaseUrl.parse(direct, DIRECT_URL);
            } catch (ConfigException e) {
                throw e.withSource(DIRECT_URL.equals(e.key()) ? "environment" : DIRECT_URL);
            }
        }
        return config;
    }

    /**
     * The defaults plus the prefixes given, separated by commas, semicolons or spaces (in the agent arguments, where
     * commas separate settings, use semicolons). A prefix is a package ({@code com.acme.migrate.}) or class name.
     */
    private static List<String> migrationCallers(Sourced given) {
        if (given == null) {
            return DEFAULT_MIGRATION_CALLERS;
        }
        List<String> all = new ArrayList<>(DEFAULT_MIGRATION_CALLERS);
        for (String prefix : given.value().split("[,;\\s]+")) {
            if (prefix.isEmpty()) {
                continue;
            }
            if (!isClassNamePrefix(prefix)) {
                throw new ConfigException("migration_callers", given.value(), "must be package or class names such as"
                        + " com.acme.migrate. separated by ; or ,").withSource(given.source());
            }
            if (!all.contains(prefix)) {
                all.add(prefix);
            }
        }
        return List.copyOf(all);
    }

    /** Dot-separated Java identifiers, perhaps ending with a dot: a class name, or a package prefix. */
    private static boolean isClassNamePrefix(String s) {
        boolean segmentStart = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (segmentStart) {
                    return false; // ".." or a leading dot
                }
                segmentStart = true;
            } else if (segmentStart ? Character.isJavaIdentifierStart(c) : Character.isJavaIdentifierPart(c)) {
                segmentStart = false;
            } else {
                return false;
            }
        }
        return !s.isEmpty();
    }

    /** POOL_AGENT_* environment variables that name no setting, for one warning line. */
    public List<String> ignoredVariables() {
        return ignoredVariables;
    }

    private static void put(Map<String, Sourced> overrides, String key, String value, String source) {
        int at = key.indexOf('@');
        if (at > 0 && PoolSettings.KEYS.contains(key.substring(0, at))) {
            if (at == key.length() - 1 || key.substring(at + 1).isBlank()) {
                throw new ConfigException(key, Redaction.redactUri(value.trim()),
                        "names no pool after @ (expected e.g. connection_limit@mydb or connection_limit@user@mydb)")
                        .withSource(source);
            }
            overrides.put(key.substring(0, at) + "@" + key.substring(at + 1).trim(), new Sourced(value.trim(), source));
            return;
        }
        if (!KEYS.contains(key)) {
            // redacted in case a URL was passed where a setting name belongs
            throw ConfigException.unknownSetting(Redaction.redactUri(key), Redaction.redactUri(source),
                    String.join(", ", KEYS));
        }
        overrides.put(key, new Sourced(value.trim(), source));
    }

    /**
     * Whether strict mode was asked for, read leniently so that it works when {@link #load} failed because of
     * another setting: the agent can then decide whether to stop the JVM. Same precedence as load; only the exact
     * (case-insensitive) value true counts.
     */
    public static boolean strictRequested(String agentArgs, Map<String, String> env, Properties sys) {
        if (agentArgs != null) {
            String found = null;
            int p = 0;
            while (p <= agentArgs.length()) {
                int comma = agentArgs.indexOf(',', p);
                int end = comma < 0 ? agentArgs.length() : comma;
                int eq = agentArgs.indexOf('=', p);
                if (eq >= 0 && eq < end && agentArgs.substring(p, eq).trim().equals("strict")) {
                    found = agentArgs.substring(eq + 1, end); // the last one wins, as in load
                }
                if (comma < 0) {
                    break;
                }
                p = comma + 1;
            }
            if (found != null) {
                return found.trim().equalsIgnoreCase("true");
            }
        }
        String v = sys == null ? null : sys.getProperty(SYSTEM_PROPERTY_PREFIX + "strict");
        if (v == null && env != null) {
            v = env.get(ENV_PREFIX + "STRICT");
        }
        return v != null && v.trim().equalsIgnoreCase("true");
    }

    private boolean bool(String key, boolean dflt) {
        Sourced s = overrides.get(key);
        if (s == null) {
            return dflt;
        }
        if (s.value().equalsIgnoreCase("true")) {
            return true;
        }
        if (s.value().equalsIgnoreCase("false")) {
            return false;
        }
        throw new ConfigException(key, s.value(), "must be true or false").withSource(s.source());
    }

    /**
     * Settings for one pool: sources 1-3, then the pool keys of the connection's own JDBC URL, then DATABASE_URL,
     * then defaults.
     *
     * @param urlPoolParameters e.g. {@link JdbcUrlParameters#poolParameters()}; may be null or empty
     * @throws ConfigException if a value from the connection's URL is invalid (source "JDBC URL")
     */
    public PoolSettings settingsFor(Map<String, String> urlPoolParameters) {
        return settingsFor(urlPoolParameters, null);
    }

    /**
     * Settings for the pool named {@code poolName} ({@code user@host:port/database}): as {@link #settingsFor(Map)},
     * with the {@code key@target} values whose target names this pool ranked first.
     */
    public PoolSettings settingsFor(Map<String, String> urlPoolParameters, String poolName) {
        boolean scoped = poolName != null && hasScopedValues();
        if (!scoped && (urlPoolParameters == null || urlPoolParameters.isEmpty())) {
            return defaults;
        }
        return resolve(urlPoolParameters, poolName, new String[PoolSettings.KEYS.size()]);
    }

    /** Like {@link #describeSources()}, for the pool that {@link #settingsFor(Map)} describes. */
    public String describeSources(Map<String, String> urlPoolParameters) {
        return describeSources(urlPoolParameters, null);
    }

    /** Like {@link #describeSources()}, for the pool that {@link #settingsFor(Map, String)} describes. */
    public String describeSources(Map<String, String> urlPoolParameters, String poolName) {
        boolean scoped = poolName != null && hasScopedValues();
        if (!scoped && (urlPoolParameters == null || urlPoolParameters.isEmpty())) {
            return defaultsSources;
        }
        String[] sources = new String[PoolSettings.KEYS.size()];
        return describe(resolve(urlPoolParameters, poolName, sources), sources);
    }

    private boolean hasScopedValues() {
        for (String k : overrides.keySet()) {
            if (k.indexOf('@') > 0) {
                return true;
            }
        }
        return false;
    }

    /** The {@code key@target} value that names this pool most specifically, or null. */
    private Sourced scoped(String key, String poolName) {
        Sourced best = null;
        int bestRank = 0;
        String prefix = key + "@";
        for (Map.Entry<String, Sourced> e : overrides.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                int rank = PoolTarget.rank(e.getKey().substring(prefix.length()), poolName);
                if (rank > bestRank) {
                    bestRank = rank;
                    best = e.getValue();
                }
            }
        }
        return best;
    }

    private PoolSettings resolve(Map<String, String> urlPoolParameters, String[] sourcesOut) {
        return resolve(urlPoolParameters, null, sourcesOut);
    }

    /** Picks each pool key's value by precedence, recording where it came from, and validates the result. */
    private PoolSettings resolve(Map<String, String> urlPoolParameters, String poolName, String[] sourcesOut) {
        if (urlPoolParameters == null) {
            urlPoolParameters = Map.of();
        }
        Map<String, String> raw = new HashMap<>();
        Map<String, String> fromDatabaseUrl = databaseUrl == null ? Map.of() : databaseUrl.poolParameters();
        List<String> keys = PoolSettings.KEYS;
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            Sourced o = poolName == null ? null : scoped(key, poolName);
            if (o == null) {
                o = overrides.get(key);
            }
            String v;
            if (o != null) {
                raw.put(key, o.value());
                sourcesOut[i] = o.source();
            } else if ((v = urlPoolParameters.get(key)) != null) {
                raw.put(key, v);
                sourcesOut[i] = SOURCE_CONNECTION_URL;
            } else if ((v = fromDatabaseUrl.get(key)) != null) {
                raw.put(key, v);
                sourcesOut[i] = DatabaseUrl.KEY;
            } else {
                sourcesOut[i] = SOURCE_DEFAULT;
            }
        }
        try {
            return PoolSettings.parse(raw);
        } catch (ConfigException e) {
            int i = keys.indexOf(e.key());
            throw i < 0 ? e : e.withSource(sourcesOut[i]);
        }
    }

    private static String describe(PoolSettings settings, String[] sources) {
        StringBuilder sb = new StringBuilder(96);
        List<String> keys = PoolSettings.KEYS;
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(settings.describe(keys.get(i))).append(" (").append(sources[i]).append(')');
        }
        return sb.toString();
    }

    public boolean enabled() {
        return enabled;
    }

    public boolean strict() {
        return strict;
    }

    /** Whether pools report metrics and spans to OpenTelemetry when the application has it (default true). */
    public boolean openTelemetry() {
        return openTelemetry;
    }

    /**
     * Whether every borrow inside a trace gets a span, not only those that waited or opened a connection
     * (default false: the hot path stays cheap and traces readable).
     */
    public boolean traceAllBorrows() {
        return traceAllBorrows;
    }

    /** One of error, warn, quiet, info, debug (lower case). */
    public String logLevel() {
        return logLevel;
    }

    /** log_to=slf4j: the agent's lines go to the application's own slf4j from the first pool on. */
    public boolean logToSlf4j() {
        return logToSlf4j;
    }

    /** Whether each pool gets a JMX MBean (io.poolagent:type=Pool,name=...). */
    public boolean jmx() {
        return jmx;
    }

    /**
     * max_db_connections: the most physical connections to one database (host:port/name) this JVM opens, through
     * any path: the agent's own pools and the connections existing pools (HikariCP and others) open. From sources
     * 1 to 3, else the DATABASE_URL query; defaults to the default connection_limit.
     */
    public int maxDbConnections() {
        return maxDbConnections;
    }

    /** Whether max_db_connections was given; if not, {@link #maxDbConnections()} is only its default. */
    public boolean maxDbConnectionsSet() {
        return maxDbConnectionsSet;
    }

    /** pooled_datasources: further DataSource classes whose getConnection opens a new physical connection per call. */
    public List<String> pooledDataSources() {
        return pooledDataSources;
    }

    /** The parsed DATABASE_URL, or null if it is unset or blank. */
    public DatabaseUrl databaseUrl() {
        return databaseUrl;
    }

    /** The parsed DIRECT_URL (the unpooled server for migrations), or null if it is unset or blank. */
    public DatabaseUrl directUrl() {
        return directUrl;
    }

    /** Class-name prefixes whose connections go to {@link #directUrl()}: Flyway's, Liquibase's and the user's. */
    public List<String> migrationCallers() {
        return migrationCallers;
    }

    /** The settings every pool gets unless its own JDBC URL carries pool keys. */
    public PoolSettings defaults() {
        return defaults;
    }

    /**
     * Each default pool setting with its source, for a start-up log line, e.g.
     * {@code connection_limit=15 (DATABASE_URL), pool_timeout=20s (-Dpoolagent.pool_timeout), connect_timeout=5s (default)}.
     */
    public String describeSources() {
        return defaultsSources;
    }

    /** Where a setting's effective value came from (for the defaults), e.g. {@code POOL_AGENT_STRICT} or {@code default}. */
    public String sourceOf(String key) {
        int i = PoolSettings.KEYS.indexOf(key);
        if (i >= 0) {
            String[] sources = new String[PoolSettings.KEYS.size()];
            resolve(Map.of(), sources);
            return sources[i];
        }
        if (!KEYS.contains(key)) {
            throw new IllegalArgumentException("unknown setting: " + key);
        }
        Sourced s = overrides.get(key);
        return s == null ? SOURCE_DEFAULT : s.source();
    }

    @Override
    public String toString() {
        return "enabled=" + enabled + ", strict=" + strict + ", log_level=" + logLevel
                + ", log_to=" + (logToSlf4j ? "slf4j" : "stderr") + ", jmx=" + jmx + ", opentelemetry=" + openTelemetry
                + ", trace_all_borrows=" + traceAllBorrows + ", "
                + defaultsSources
                + (databaseUrl == null ? "" : ", DATABASE_URL=" + databaseUrl.redacted());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
