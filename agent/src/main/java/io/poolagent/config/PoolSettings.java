package io.poolagent.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The settings of one pool, with Prisma's names, meanings and defaults (pgbouncer-prisma.md §1.1), so that a
 * {@code DATABASE_URL} written for Prisma means the same here.
 */
public final class PoolSettings {

    /**
     * The pool keys: the names the agent takes out of URLs and reads from its own sources. Code that handles pool
     * keys iterates this list, so new keys only need to be added here and in {@link #parse(Map)}.
     */
    public static final List<String> KEYS = List.of("connection_limit", "pool_timeout", "connect_timeout",
            "idle_timeout", "max_lifetime", "min_idle", "reset_query", "leak_detection_threshold", "abandon_timeout",
            "pgbouncer");

    /**
     * Prisma's names for two pool keys, read in URLs (DATABASE_URL and the application's JDBC URLs) as the keys they
     * stand for. A key and its alias both in DATABASE_URL are an error; in a JDBC URL the last wins, as with any
     * repeated parameter there.
     */
    static final Map<String, String> PRISMA_ALIASES = Map.of(
            "max_idle_connection_lifetime", "idle_timeout",
            "max_connection_lifetime", "max_lifetime");

    /** The pool key that URL parameter {@code name} sets: itself, or the key a Prisma alias stands for; else null. */
    public static String urlPoolKey(String name) {
        return KEYS.contains(name) ? name : PRISMA_ALIASES.get(name);
    }

    /** The Prisma aliases ({@link #urlPoolKey(String)}), for code that scans URLs for pool keys. */
    public static Set<String> prismaAliases() {
        return PRISMA_ALIASES.keySet();
    }

    static final long DEFAULT_POOL_TIMEOUT_SECONDS = 10;
    static final long DEFAULT_CONNECT_TIMEOUT_SECONDS = 5;
    /** Prisma's max_idle_connection_lifetime default. */
    static final long DEFAULT_IDLE_TIMEOUT_SECONDS = 300;
    /** HikariCP's maxLifetime default: shorter than the usual infrastructure idle cut-offs. */
    static final long DEFAULT_MAX_LIFETIME_SECONDS = 1800;
    /** Long enough that ordinary long transactions stay quiet, short enough to find a leak within minutes. */
    static final long DEFAULT_LEAK_DETECTION_SECONDS = 60;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** The largest pool_timeout whose nanoseconds still fit a long (about 292 years). */
    private static final long MAX_POOL_TIMEOUT_SECONDS = Long.MAX_VALUE / NANOS_PER_SECOND;
    /** pgjdbc reads connectTimeout as an int of seconds. */
    private static final long MAX_CONNECT_TIMEOUT_SECONDS = Integer.MAX_VALUE;

    private static final String SECONDS_REASON = "must be a number of seconds, 0 or more";

    private final int connectionLimit;
    private final long poolTimeoutNanos;
    private final long connectTimeoutSeconds;
    private final long idleTimeoutNanos;
    private final long maxLifetimeNanos;
    private final int minIdle;
    private final String resetQuery;
    private final long leakDetectionNanos;
    private final long abandonTimeoutNanos;
    private final boolean pgbouncer;

    /**
     * @param connectionLimit       the most connections the pool opens, at least 1
     * @param poolTimeoutNanos      how long a caller waits for a free connection; 0 = wait forever
     * @param connectTimeoutSeconds how long opening one database connection may take; 0 = no limit
     * @throws IllegalArgumentException for values outside those ranges
     */
    public PoolSettings(int connectionLimit, long poolTimeoutNanos, long connectTimeoutSeconds) {
        this(connectionLimit, poolTimeoutNanos, connectTimeoutSeconds, DEFAULT_IDLE_TIMEOUT_SECONDS * NANOS_PER_SECOND,
                DEFAULT_MAX_LIFETIME_SECONDS * NANOS_PER_SECOND, 0, null, DEFAULT_LEAK_DETECTION_SECONDS * NANOS_PER_SECOND,
                0);
    }

    /**
     * @param idleTimeoutNanos an idle connection above minIdle is closed after this long; 0 = never
     * @param maxLifetimeNanos a connection is retired (when not borrowed) after about this long; 0 = never
     * @param minIdle          idle connections the pool keeps open (0: connections open lazily, as Prisma's)
     * @param resetQuery       SQL run on every return, e.g. DISCARD ALL; null = none
     * @param leakDetectionNanos a connection held longer is reported with its acquisition stack; 0 = off
     * @param abandonTimeoutNanos a connection held longer is taken back from its holder; 0 = never
     */
    public PoolSettings(int connectionLimit, long poolTimeoutNanos, long connectTimeoutSeconds, long idleTimeoutNanos,
                        long maxLifetimeNanos, int minIdle, String resetQuery, long leakDetectionNanos,
                        long abandonTimeoutNanos) {
        this(connectionLimit, poolTimeoutNanos, connectTimeoutSeconds, idleTimeoutNanos, maxLifetimeNanos, minIdle,
                resetQuery, leakDetectionNanos, abandonTimeoutNanos, false);
    }

    /**
     * @param pgbouncer the pool's server is PgBouncer (Prisma's pgbouncer=true): pgjdbc connections get
     *                  prepareThreshold=0 and no startup parameters PgBouncer rejects
     */
    public PoolSettings(int connectionLimit, long poolTimeoutNanos, long connectTimeoutSeconds, long idleTimeoutNanos,
                        long maxLifetimeNanos, int minIdle, String resetQuery, long leakDetectionNanos,
                        long abandonTimeoutNanos, boolean pgbouncer) {
        if (connectionLimit < 1) {
            throw new IllegalArgumentException("connectionLimit < 1: " + connectionLimit);
        }
        if (poolTimeoutNanos < 0) {
            throw new IllegalArgumentException("poolTimeoutNanos < 0: " + poolTimeoutNanos);
        }
        if (connectTimeoutSeconds < 0 || connectTimeoutSeconds > MAX_CONNECT_TIMEOUT_SECONDS) {
            throw new IllegalArgumentException("connectTimeoutSeconds out of range: " + connectTimeoutSeconds);
        }
        if (idleTimeoutNanos < 0 || maxLifetimeNanos < 0 || minIdle < 0 || minIdle > connectionLimit
                || leakDetectionNanos < 0 || abandonTimeoutNanos < 0) {
            throw new IllegalArgumentException("lifetimes or minIdle out of range");
        }
        this.connectionLimit = connectionLimit;
        this.poolTimeoutNanos = poolTimeoutNanos;
        this.connectTimeoutSeconds = connectTimeoutSeconds;
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.maxLifetimeNanos = maxLifetimeNanos;
        this.minIdle = minIdle;
        this.resetQuery = resetQuery;
        this.leakDetectionNanos = leakDetectionNanos;
        this.abandonTimeoutNanos = abandonTimeoutNanos;
        this.pgbouncer = pgbouncer;
    }

    /**
     * Prisma's defaults: connection_limit = CPUs * 2 + 1, pool_timeout = 10 s, connect_timeout = 5 s.
     * Prisma counts physical cores ({@code num_cpus::get_physical()}); the JVM only offers logical CPUs
     * (availableProcessors, which does honour container CPU limits), so on a machine with hyper-threading the
     * default here can be up to twice Prisma's. Set connection_limit explicitly for exact parity.
     */
    public static PoolSettings defaults() {
        return new PoolSettings(defaultConnectionLimit(), DEFAULT_POOL_TIMEOUT_SECONDS * NANOS_PER_SECOND,
                DEFAULT_CONNECT_TIMEOUT_SECONDS);
    }

    static int defaultConnectionLimit() {
        return Runtime.getRuntime().availableProcessors() * 2 + 1;
    }

    /**
     * Settings from raw string values keyed by pool key; keys that are absent take the default, keys not in
     * {@link #KEYS} are ignored (callers filter).
     *
     * @throws ConfigException naming the key and value (but not the source, which the caller knows)
     */
    public static PoolSettings parse(Map<String, String> values) {
        String limit = values.get("connection_limit");
        String poolTimeout = values.get("pool_timeout");
        String connectTimeout = values.get("connect_timeout");
        String idleTimeout = values.get("idle_timeout");
        String maxLifetime = values.get("max_lifetime");
        String minIdle = values.get("min_idle");
        String resetQuery = values.get("reset_query");
        String leakDetection = values.get("leak_detection_threshold");
        String abandonTimeout = values.get("abandon_timeout");
        String pgbouncer = values.get("pgbouncer");
        int connectionLimit = limit == null ? defaultConnectionLimit() : parseConnectionLimit(limit);
        int idle = minIdle == null ? 0 : parseMinIdle(minIdle, connectionLimit);
        if (resetQuery != null && resetQuery.isBlank()) {
            throw new ConfigException("reset_query", resetQuery, "must be an SQL statement, e.g. DISCARD ALL");
        }
        return new PoolSettings(connectionLimit,
                poolTimeout == null ? DEFAULT_POOL_TIMEOUT_SECONDS * NANOS_PER_SECOND : parsePoolTimeoutNanos(poolTimeout),
                connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT_SECONDS : parseConnectTimeoutSeconds(connectTimeout),
                idleTimeout == null ? DEFAULT_IDLE_TIMEOUT_SECONDS * NANOS_PER_SECOND : nanos("idle_timeout", idleTimeout),
                maxLifetime == null ? DEFAULT_MAX_LIFETIME_SECONDS * NANOS_PER_SECOND : nanos("max_lifetime", maxLifetime),
                idle, resetQuery == null ? null : resetQuery.trim(),
                leakDetection == null ? DEFAULT_LEAK_DETECTION_SECONDS * NANOS_PER_SECOND
                        : nanos("leak_detection_threshold", leakDetection),
                abandonTimeout == null ? 0 : nanos("abandon_timeout", abandonTimeout),
                pgbouncer != null && parsePgbouncer(pgbouncer));
    }

    /** Prisma writes pgbouncer=true; false is accepted so that a higher-precedence source can switch it off. */
    private static boolean parsePgbouncer(String value) {
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new ConfigException("pgbouncer", value, "must be true or false");
    }

    private static int parseMinIdle(String value, int connectionLimit) {
        int n = parseWholeNumber("min_idle", value);
        if (n > connectionLimit) {
            throw new ConfigException("min_idle", value, "must not exceed connection_limit (" + connectionLimit + ")");
        }
        return n;
    }

    /** Checks a seconds value under the name the user wrote (e.g. a Prisma alias). */
    static void checkSeconds(String key, String value) {
        nanos(key, value);
    }

    /** A whole number, 0 or more, that fits an int: for min_idle, and for counts in URLs. */
    static int parseWholeNumber(String key, String value) {
        if (value.isEmpty() || value.length() > 9 || !allDigits(value, 0, value.length())) {
            throw new ConfigException(key, value, "must be a whole number, 0 or more");
        }
        return Integer.parseInt(value);
    }

    private static long nanos(String key, String value) {
        return parseSeconds(key, value, MAX_POOL_TIMEOUT_SECONDS).movePointRight(9).setScale(0, RoundingMode.CEILING)
                .longValueExact();
    }

    /** A whole number of at least 1 (Prisma rejects non-integers too). */
    static int parseConnectionLimit(String value) {
        String reason = "must be a whole number of at least 1";
        if (value.isEmpty() || !allDigits(value, 0, value.length())) {
            throw new ConfigException("connection_limit", value, reason);
        }
        long n = value.length() > 18 ? Long.MAX_VALUE : Long.parseLong(value);
        if (n < 1) {
            throw new ConfigException("connection_limit", value, reason);
        }
        if (n > Integer.MAX_VALUE) {
            throw new ConfigException("connection_limit", value, "must be at most " + Integer.MAX_VALUE);
        }
        return (int) n;
    }

    /** Seconds (decimals allowed) as nanoseconds; rounded up so that a tiny positive value never becomes 0 = forever. */
    static long parsePoolTimeoutNanos(String value) {
        BigDecimal seconds = parseSeconds("pool_timeout", value, MAX_POOL_TIMEOUT_SECONDS);
        return seconds.movePointRight(9).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /**
     * Seconds (decimals allowed) rounded up to whole seconds, because pgjdbc's connectTimeout takes whole seconds
     * and rounding down could turn 0.5 into 0 = no timeout.
     */
    static long parseConnectTimeoutSeconds(String value) {
        return ceilSeconds("connect_timeout", value, MAX_CONNECT_TIMEOUT_SECONDS);
    }

    /** Whole seconds, rounded up, for any seconds-valued key (also used for socket_timeout). */
    static long ceilSeconds(String key, String value, long max) {
        return parseSeconds(key, value, max).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /** digits [ "." digits ]: hand-checked so that forms like 1e3, NaN, -1, +1 or " 1" are rejected. */
    private static BigDecimal parseSeconds(String key, String value, long maxSeconds) {
        int dot = value.indexOf('.');
        int intEnd = dot < 0 ? value.length() : dot;
        boolean ok = intEnd > 0 && allDigits(value, 0, intEnd)
                && (dot < 0 || (dot < value.length() - 1 && allDigits(value, dot + 1, value.length())));
        if (!ok) {
            throw new ConfigException(key, value, SECONDS_REASON);
        }
        BigDecimal seconds = new BigDecimal(value);
        if (seconds.compareTo(BigDecimal.valueOf(maxSeconds)) > 0) {
            throw new ConfigException(key, value, "must be at most " + maxSeconds + " seconds");
        }
        return seconds;
    }

    private static boolean allDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    public int connectionLimit() {
        return connectionLimit;
    }

    /** How long a caller waits for a free connection, in nanoseconds; 0 = wait forever. */
    public long poolTimeoutNanos() {
        return poolTimeoutNanos;
    }

    /** How long opening one database connection may take, in whole seconds; 0 = no limit. */
    public long connectTimeoutSeconds() {
        return connectTimeoutSeconds;
    }

    /** Idle connections above {@link #minIdle()} are closed after this long idle, in nanoseconds; 0 = never. */
    public long idleTimeoutNanos() {
        return idleTimeoutNanos;
    }

    /** Connections are retired after about this long (never while borrowed), in nanoseconds; 0 = never. */
    public long maxLifetimeNanos() {
        return maxLifetimeNanos;
    }

    public int minIdle() {
        return minIdle;
    }

    /** SQL run on every return, or null. */
    public String resetQuery() {
        return resetQuery;
    }

    /** A connection held longer is reported with its acquisition stack trace, in nanoseconds; 0 = off. */
    public long leakDetectionNanos() {
        return leakDetectionNanos;
    }

    /** A connection held longer is aborted and its slot released, in nanoseconds; 0 = never (the default). */
    public long abandonTimeoutNanos() {
        return abandonTimeoutNanos;
    }

    /**
     * True when the pool's server is PgBouncer in transaction mode (pgbouncer=true): pgjdbc connections are opened
     * with prepareThreshold=0 (unless the application set prepareThreshold itself) and without the startup
     * parameters PgBouncer rejects; a schema or options asked for are set after connecting instead.
     */
    public boolean pgbouncer() {
        return pgbouncer;
    }

    /** E.g. {@code connection_limit=15, pool_timeout=20s, connect_timeout=10s}. */
    public String describe() {
        StringBuilder sb = new StringBuilder(64);
        for (int i = 0; i < KEYS.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(describe(KEYS.get(i)));
        }
        return sb.toString();
    }

    /** One key as {@code key=value}, for log lines that add the value's source. */
    String describe(String key) {
        switch (key) {
            case "connection_limit":
                return "connection_limit=" + connectionLimit;
            case "pool_timeout":
                return poolTimeoutNanos == 0 ? "pool_timeout=0 (wait forever)"
                        : "pool_timeout=" + BigDecimal.valueOf(poolTimeoutNanos, 9).stripTrailingZeros().toPlainString() + "s";
            case "connect_timeout":
                return connectTimeoutSeconds == 0 ? "connect_timeout=0 (none)"
                        : "connect_timeout=" + connectTimeoutSeconds + "s";
            case "idle_timeout":
                return idleTimeoutNanos == 0 ? "idle_timeout=0 (never)" : "idle_timeout=" + seconds(idleTimeoutNanos);
            case "max_lifetime":
                return maxLifetimeNanos == 0 ? "max_lifetime=0 (never)" : "max_lifetime=" + seconds(maxLifetimeNanos);
            case "min_idle":
                return "min_idle=" + minIdle;
            case "reset_query":
                return "reset_query=" + (resetQuery == null ? "(none)" : resetQuery);
            case "leak_detection_threshold":
                return leakDetectionNanos == 0 ? "leak_detection_threshold=0 (off)"
                        : "leak_detection_threshold=" + seconds(leakDetectionNanos);
            case "abandon_timeout":
                return abandonTimeoutNanos == 0 ? "abandon_timeout=0 (off)" : "abandon_timeout=" + seconds(abandonTimeoutNanos);
            case "pgbouncer":
                return "pgbouncer=" + pgbouncer;
            default:
                throw new IllegalArgumentException("not a pool key: " + key);
        }
    }

    private static String seconds(long nanos) {
        return BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString() + "s";
    }

    @Override
    public String toString() {
        return describe();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PoolSettings p && p.connectionLimit == connectionLimit
                && p.poolTimeoutNanos == poolTimeoutNanos && p.connectTimeoutSeconds == connectTimeoutSeconds
                && p.idleTimeoutNanos == idleTimeoutNanos && p.maxLifetimeNanos == maxLifetimeNanos
                && p.minIdle == minIdle && java.util.Objects.equals(p.resetQuery, resetQuery)
                && p.leakDetectionNanos == leakDetectionNanos && p.abandonTimeoutNanos == abandonTimeoutNanos
                && p.pgbouncer == pgbouncer;
    }

    @Override
    public int hashCode() {
        return (connectionLimit * 31 + Long.hashCode(poolTimeoutNanos)) * 31 + Long.hashCode(connectTimeoutSeconds);
    }
}
