package io.poolagent.config;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * A libpq / Prisma connection URI, {@code postgresql://[user[:password]@][host[:port][,...]][/dbname][?k=v&...]}
 * (pgbouncer-prisma.md §2.1), parsed once and translated for pgjdbc by {@link #toJdbc()}.
 *
 * <p>Parsing rules, and where they deviate from libpq:
 * <ul>
 * <li>Schemes {@code postgresql://} and {@code postgres://}, case-insensitive. Surrounding whitespace is ignored
 *     (values read from secret files often end in a newline).</li>
 * <li>The authority ends at the first '/' or '?'; the user info ends at the LAST '@' before that (as in Prisma's URL
 *     parser), so an unencoded '@' or ':' in a password works, while '/' and '?' in a password must be
 *     percent-encoded.</li>
 * <li>{@code %XX} escapes are decoded as UTF-8 in every part; {@code %00} and invalid escapes are errors (libpq).
 *     A {@code +} stays a literal plus, as in libpq ({@code application_name=a+b} is "a+b"); Prisma and pgjdbc
 *     would read it as a space. We follow libpq because the URI format is libpq's and a '+' in a password must not
 *     silently change; write {@code %20} for a space.</li>
 * <li>A query value may contain '=' (split at the first one; libpq rejects it, Prisma accepts it).</li>
 * <li>{@code host}, {@code port}, {@code dbname}, {@code user}, {@code password} given as query parameters override
 *     the URI parts (libpq). {@code port} may be one port for all hosts or one per host (libpq).</li>
 * <li>Defaults: host localhost, port 5432, database "postgres" (Prisma's; libpq would use the user name).
 *     An empty user or password counts as absent (libpq does the same).</li>
 * <li>Unix-domain sockets (an absolute path as host, also {@code %2F...} or {@code ?host=/dir}) are rejected:
 *     pgjdbc cannot use them without a socket factory. An empty host means localhost, as in Prisma.</li>
 * </ul>
 *
 * <p>{@link #toString()} and {@link #redacted()} never show a password.
 */
public final class DatabaseUrl {
    static final String KEY = "DATABASE_URL";

    private static final int DEFAULT_PORT = 5432;
    private static final String DEFAULT_HOST = "localhost";
    private static final String DEFAULT_DATABASE = "postgres";

    /** libpq keywords that override parts of the URI rather than being connection parameters. */
    private static final Set<String> URI_PART_KEYS = Set.of("host", "port", "dbname", "user", "password");

    /** libpq / Prisma keys that toJdbc translates (or passes on under the same name); see §2.3. */
    private static final Set<String> TRANSLATED_KEYS = Set.of("application_name", "socket_timeout", "options",
            "statement_cache_size",
            "schema", "sslmode", "ssl", "sslrootcert", "sslcert", "sslkey", "sslpassword", "sslidentity",
            "channel_binding", "gssencmode", "target_session_attrs", "load_balance_hosts", "keepalives", "service");

    /**
     * pgjdbc 42.7.14 property names (PGProperty), passed through unchanged. Kept as a literal list because the
     * agent must not load pgjdbc classes to find out; a name missing here only costs a needless warning.
     */
    private static final Set<String> PGJDBC_PROPERTIES = Set.of("adaptiveFetch", "adaptiveFetchMaximum",
            "adaptiveFetchMinimum", "allowEncodingChanges", "ApplicationName", "assumeMinServerVersion",
            "authenticationPluginClassName", "autosave", "binaryTransfer", "binaryTransferDisable",
            "binaryTransferEnable", "cancelSignalTimeout", "channelBinding", "classLoaderStrategy",
            "cleanupSavepoints", "connectExecutor", "connectExecutorArg", "connectTimeout",
            "convertBooleanToNumeric", "currentSchema", "databaseMetadataCacheFields",
            "databaseMetadataCacheFieldsMiB", "defaultRowFetchSize", "disableColumnSanitiser",
            "escapeSyntaxCallMode", "flushCacheOnDdl", "groupStartupParameters", "gssEncMode", "gsslib",
            "gssResponseTimeout", "gssUseDefaultCreds", "hideUnprivilegedObjects", "hostRecheckSeconds",
            "jaasApplicationName", "jaasLogin", "kerberosServerName", "loadBalanceHosts", "localSocketAddress",
            "loggerFile", "loggerLevel", "loginTimeout", "logServerErrorDetail", "logUnclosedConnections",
            "maxResultBuffer", "maxSendBufferSize", "pemKeyAlgorithm", "preferQueryMode",
            "preparedStatementCacheQueries", "preparedStatementCacheSizeMiB", "prepareThreshold", "protocolVersion",
            "queryTimeout", "quoteReturningIdentifiers", "readOnly", "readOnlyMode", "receiveBufferSize",
            "replication", "requireAuth", "reWriteBatchedInserts", "reWriteBatchedInsertsSize", "scramMaxIterations",
            "sendBufferSize", "socketFactory", "socketFactoryArg", "socketTimeout", "sslfactory", "sslfactoryarg",
            "sslhostnameverifier", "sslNegotiation", "sslpasswordcallback", "sslResponseTimeout", "sspiServiceClass",
            "stringtype", "targetServerType", "tcpKeepAlive", "tcpNoDelay", "unknownLength", "useSpnego",
            "xmlFactoryFactory");

    private final String redacted;
    private final List<HostPort> hosts;
    private final String database;
    private final String user;
    private final String password;
    /** A JVM-wide agent key that a DATABASE_URL may carry too, as PgBouncer users would expect. */
    static final String MAX_DB_CONNECTIONS = "max_db_connections";

    private final Map<String, String> parameters;
    private final Map<String, String> poolParameters;
    private final List<String> unknownParameters;
    /** Translated non-pool parameters, computed (and validated) once at parse time; copied by toJdbc. */
    private final Map<String, String> translated;

    private DatabaseUrl(String redacted, List<HostPort> hosts, String database, String user, String password,
            Map<String, String> parameters) {
        this.redacted = redacted;
        this.hosts = hosts;
        this.database = database;
        this.user = user;
        this.password = password;
        this.parameters = Collections.unmodifiableMap(parameters);
        Map<String, String> pool = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            String k = e.getKey();
            String poolKey = PoolSettings.urlPoolKey(k);
            if (poolKey != null) {
                if (!poolKey.equals(k)) {
                    PoolSettings.checkSeconds(k, e.getValue()); // a bad value is reported under the name written
                }
                if (pool.put(poolKey, e.getValue()) != null) { // the query keeps no order between the two names
                    throw new ConfigException(k, e.getValue(), "sets " + poolKey + " a second time; give one of "
                            + poolKey + " and its Prisma name");
                }
            } else if (k.equals(MAX_DB_CONNECTIONS)) {
                continue; // the agent's, read by AgentConfig; never the driver's
            } else if (!URI_PART_KEYS.contains(k) && !TRANSLATED_KEYS.contains(k) && !PGJDBC_PROPERTIES.contains(k)) {
                unknown.add(k);
            }
        }
        this.poolParameters = Collections.unmodifiableMap(pool);
        this.unknownParameters = Collections.unmodifiableList(unknown);
        this.translated = translate(parameters);
    }

    /**
     * Parses a libpq / Prisma URI.
     *
     * @throws ConfigException with key {@code DATABASE_URL}, the redacted URI and the reason for malformed input;
     *                         or with the parameter's name for a parameter value that cannot be translated (e.g.
     *                         {@code target_session_attrs=foo})
     */
    public static DatabaseUrl parse(String uri) {
        return parse(uri, KEY);
    }

    /**
     * {@link #parse(String)} for a URL read from another variable (e.g. {@code DIRECT_URL}): errors about the URL as
     * a whole name that variable.
     */
    public static DatabaseUrl parse(String uri, String variable) {
        try {
            return parseNamed(uri);
        } catch (ConfigException e) {
            if (KEY.equals(e.key()) && !KEY.equals(variable)) {
                throw new ConfigException(variable, e.shownValue(), e.reason());
            }
            throw e;
        }
    }

    private static DatabaseUrl parseNamed(String uri) {
        String s = uri == null ? "" : uri.strip();
        if (s.isEmpty()) {
            throw new ConfigException(KEY, "", "is empty");
        }
        try {
            return parseStripped(s);
        } catch (ConfigException e) {
            if (KEY.equals(e.key()) && passwordMaySpill(s) && !e.reason().contains("percent-encode")) {
                throw new ConfigException(KEY, e.shownValue(),
                        e.reason() + " (if the password contains / or ?, percent-encode them as %2F and %3F)");
            }
            throw e;
        }
    }

    /**
     * True if the authority holds no '@' but one follows it: the password probably holds an unencoded '/' or '?'
     * that ended the authority early, which is worth a hint in the error.
     */
    private static boolean passwordMaySpill(String s) {
        int scheme = s.indexOf("://");
        if (scheme < 0) {
            return false;
        }
        int authEnd = scheme + 3;
        while (authEnd < s.length() && s.charAt(authEnd) != '/' && s.charAt(authEnd) != '?') {
            authEnd++;
        }
        int at = s.indexOf('@', scheme + 3);
        return at > authEnd;
    }

    private static DatabaseUrl parseStripped(String s) {
        int i;
        if (s.regionMatches(true, 0, "postgresql://", 0, 13)) {
            i = 13;
        } else if (s.regionMatches(true, 0, "postgres://", 0, 11)) {
            i = 11;
        } else {
            throw fail(s, "must start with postgresql:// or postgres://");
        }
        int authEnd = i;
        while (authEnd < s.length() && s.charAt(authEnd) != '/' && s.charAt(authEnd) != '?') {
            authEnd++;
        }

        // user info: up to the last '@' of the authority
        String user = null;
        String password = null;
        int colon = -1;
        int at = s.lastIndexOf('@', authEnd - 1);
        int hostStart = i;
        if (at >= i) {
            colon = s.indexOf(':', i);
            if (colon > at) {
                colon = -1;
            }
            user = decode(s, i, colon < 0 ? at : colon, "user name");
            if (colon >= 0) {
                password = decode(s, colon + 1, at, "password");
            }
            hostStart = at + 1;
        }

        // host list: h1[:p1],h2[:p2],[v6][:p]
        List<String> hostNames = new ArrayList<>(2);
        List<String> ports = new ArrayList<>(2);
        if (hostStart == authEnd) {
            hostNames.add("");
            ports.add("");
        } else {
            int k = hostStart;
            while (true) {
                String host;
                if (s.charAt(k) == '[') {
                    int close = s.indexOf(']', k);
                    if (close < 0 || close > authEnd) {
                        throw fail(s, "unterminated [ in an IPv6 host address");
                    }
                    if (close == k + 1) {
                        throw fail(s, "empty IPv6 host address []");
                    }
                    host = decode(s, k + 1, close, "host");
                    k = close + 1;
                    if (k < authEnd && s.charAt(k) != ':' && s.charAt(k) != ',') {
                        throw fail(s, "unexpected character after ] of an IPv6 host address (expected : or ,)");
                    }
                } else {
                    int e = k;
                    while (e < authEnd && s.charAt(e) != ':' && s.charAt(e) != ',') {
                        e++;
                    }
                    host = decode(s, k, e, "host");
                    k = e;
                }
                String port = "";
                if (k < authEnd && s.charAt(k) == ':') {
                    int e = k + 1;
                    while (e < authEnd && s.charAt(e) != ',') {
                        e++;
                    }
                    port = decode(s, k + 1, e, "port");
                    k = e;
                }
                hostNames.add(host);
                ports.add(port);
                if (k >= authEnd) {
                    break;
                }
                k++; // skip ','
                if (k == authEnd) {
                    hostNames.add(""); // trailing comma: an empty element, rejected below
                    ports.add("");
                    break;
                }
            }
        }

        // path and query
        String database = null;
        int query = -1;
        if (authEnd < s.length() && s.charAt(authEnd) == '/') {
            int q = s.indexOf('?', authEnd);
            int dbEnd = q < 0 ? s.length() : q;
            int stray = s.indexOf('@', authEnd);
            if (stray >= 0 && stray < dbEnd) {
                // most likely a password with an unencoded '/' that ended the authority early: refusing it keeps
                // the password out of database() and redacted()
                throw fail(s, "unexpected @ after the host: percent-encode / and ? in the password as %2F and %3F,"
                        + " and @ in the database name as %40");
            }
            database = decode(s, authEnd + 1, dbEnd, "database name");
            query = q;
        } else if (authEnd < s.length()) {
            query = authEnd; // '?'
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (query >= 0) {
            int p = query + 1;
            while (p <= s.length()) {
                int amp = s.indexOf('&', p);
                int end = amp < 0 ? s.length() : amp;
                if (end > p) { // empty segments ("a=1&&b=2", a trailing '&') are skipped
                    int eq = s.indexOf('=', p);
                    if (eq < 0 || eq > end) {
                        throw fail(s, "a query parameter has no \"=\" (expected name=value)");
                    }
                    String key = decode(s, p, eq, "name of a query parameter");
                    if (key.isEmpty()) {
                        throw fail(s, "a query parameter has an empty name");
                    }
                    String value = decode(s, eq + 1, end, "value of query parameter \"" + key + "\"");
                    params.put(key, value); // the last value wins (libpq); the first position is kept
                }
                if (amp < 0) {
                    break;
                }
                p = amp + 1;
            }
        }

        // libpq: query parameters override the URI parts
        String v;
        if ((v = params.get("host")) != null) {
            hostNames = splitList(v, true);
        }
        if ((v = params.get("port")) != null) {
            ports = splitList(v, false);
        }
        if ((v = params.get("dbname")) != null) {
            database = v;
        }
        if ((v = params.get("user")) != null) {
            user = v;
        }
        if ((v = params.remove("password")) != null) { // kept out of parameters(): it is a secret
            password = v;
        }

        if (ports.size() != 1 && ports.size() != hostNames.size()) {
            throw fail(s, ports.size() + " ports for " + hostNames.size() + " hosts: give one port for all hosts"
                    + " or one per host");
        }
        List<HostPort> hosts = new ArrayList<>(hostNames.size());
        for (int h = 0; h < hostNames.size(); h++) {
            String host = hostNames.get(h);
            if (host.isEmpty()) {
                if (hostNames.size() > 1) {
                    throw fail(s, "empty host name in the host list");
                }
                host = DEFAULT_HOST;
            }
            if (host.charAt(0) == '/') {
                throw fail(s, "host \"" + host + "\" is a Unix-domain socket directory; pgjdbc cannot use Unix"
                        + " sockets without a socket factory (e.g. junixsocket), so use a TCP host such as localhost");
            }
            for (int c = 0; c < host.length(); c++) {
                char ch = host.charAt(c);
                if (ch <= ' ' || ch == 0x7f || ",/?@#[]\\\"'".indexOf(ch) >= 0) {
                    throw fail(s, "a host name contains a character that is not allowed");
                }
            }
            hosts.add(new HostPort(host, parsePort(s, ports.size() == 1 ? ports.get(0) : ports.get(h))));
        }

        // Without user info, an '@' further on may mean a password that was split off by an unencoded '?'
        // (postgresql://u:12?a=b@h/d parses as host u, port 12): then redact conservatively, even if that also
        // hides an innocent part such as application_name=me@corp.
        String redacted = passwordMaySpill(s) ? Redaction.redactUri(s) : Redaction.redact(s, colon, at, query);
        return new DatabaseUrl(redacted, List.copyOf(hosts),
                database == null || database.isEmpty() ? DEFAULT_DATABASE : database,
                user == null || user.isEmpty() ? null : user,
                password == null || password.isEmpty() ? null : password,
                params);
    }

    private static int parsePort(String s, String port) {
        if (port.isEmpty()) {
            return DEFAULT_PORT; // libpq accepts "host:" and means the default port
        }
        int n = 0;
        boolean ok = port.length() <= 5;
        for (int c = 0; ok && c < port.length(); c++) {
            char ch = port.charAt(c);
            ok = ch >= '0' && ch <= '9';
            n = n * 10 + (ch - '0');
        }
        if (!ok || n < 1 || n > 65535) {
            // the text is not echoed: after a mis-split it could be part of a password
            throw fail(s, "a port is not a number from 1 to 65535");
        }
        return n;
    }

    /** Splits a comma list from a query parameter; host elements may be given in brackets. */
    private static List<String> splitList(String v, boolean hosts) {
        List<String> out = new ArrayList<>(2);
        int p = 0;
        while (true) {
            int comma = v.indexOf(',', p);
            String e = v.substring(p, comma < 0 ? v.length() : comma);
            if (hosts && e.length() >= 2 && e.charAt(0) == '[' && e.charAt(e.length() - 1) == ']') {
                e = e.substring(1, e.length() - 1);
            }
            out.add(e);
            if (comma < 0) {
                return out;
            }
            p = comma + 1;
        }
    }

    private static ConfigException fail(String s, String reason) {
        return new ConfigException(KEY, Redaction.redactUri(s), reason);
    }

    /**
     * Decodes %XX escapes (as UTF-8) in s[from, to). '+' is literal, as in libpq. Error reasons name the part but
     * never echo its text, which may be a password.
     */
    private static String decode(String s, int from, int to, String part) {
        int pct = s.indexOf('%', from);
        if (pct < 0 || pct >= to) {
            return s.substring(from, to);
        }
        StringBuilder sb = new StringBuilder(to - from);
        byte[] buf = null;
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            if (c != '%') {
                sb.append(c);
                i++;
                continue;
            }
            if (buf == null) {
                buf = new byte[(to - i) / 3 + 1];
            }
            int n = 0;
            while (i < to && s.charAt(i) == '%') {
                int hi = i + 2 < to ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = i + 2 < to ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw fail(s, "invalid percent-encoding in the " + part + " (expected %XX with two hex digits)");
                }
                int b = hi << 4 | lo;
                if (b == 0) {
                    throw fail(s, "%00 is not allowed in the " + part);
                }
                buf[n++] = (byte) b;
                i += 3;
            }
            try {
                sb.append(StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(buf, 0, n)));
            } catch (CharacterCodingException e) {
                throw fail(s, "the percent-encoded " + part + " is not valid UTF-8");
            }
        }
        return sb.toString();
    }

    /** The servers, in the order given; never empty. */
    public List<HostPort> hosts() {
        return hosts;
    }

    /** The database name, decoded; "postgres" when the URI names none (Prisma's default). */
    public String database() {
        return database;
    }

    /** The user name, decoded, or null if none was given (pgjdbc then fails, as there is no OS-user default). */
    public String user() {
        return user;
    }

    public boolean hasPassword() {
        return password != null;
    }

    /** SECRET: the decoded password, or null. Never log it; use {@link #redacted()} for messages. */
    String password() {
        return password;
    }

    /**
     * All query parameters, decoded, in the order first given (the last value wins), except {@code password},
     * which is only available as the secret {@link #password()}. Note that {@code sslpassword} (a key-file
     * passphrase) is included because pgjdbc needs it: do not log this map as a whole.
     */
    public Map<String, String> parameters() {
        return parameters;
    }

    /** The pool keys ({@link PoolSettings#KEYS}) present in the query, raw (not yet validated); a Prisma alias under its key. */
    public Map<String, String> poolParameters() {
        return poolParameters;
    }

    /**
     * Query parameters that are neither pool keys, URI parts, translated libpq/Prisma keys nor pgjdbc property
     * names. They are passed to pgjdbc unchanged (it ignores properties it does not know), and listed here so the
     * agent can warn once: a Prisma or libpq key without a pgjdbc equivalent (e.g. sslaccept,
     * keepalives_idle) has no effect.
     */
    public List<String> unknownParameters() {
        return unknownParameters;
    }

    /** The URI as given (trimmed), with the password (also a {@code password} or {@code sslpassword} query value) replaced by {@code ***}. */
    public String redacted() {
        return redacted;
    }

    @Override
    public String toString() {
        return redacted;
    }

    /**
     * The pgjdbc URL and properties, translating only what this URI says: {@code connect_timeout}, if present,
     * becomes connectTimeout and loginTimeout; if absent, pgjdbc's own defaults apply. The agent should prefer
     * {@link #toJdbc(PoolSettings)}, which applies the effective connect_timeout (agent settings, Prisma default).
     *
     * @throws ConfigException if connect_timeout in the URI is invalid
     */
    public JdbcTarget toJdbc() {
        String ct = parameters.get("connect_timeout");
        return toJdbc(ct == null ? -1 : PoolSettings.parseConnectTimeoutSeconds(ct));
    }

    /**
     * The pgjdbc URL and properties, with connectTimeout and loginTimeout set from
     * {@link PoolSettings#connectTimeoutSeconds()} (0 = off), so that agent-level settings win over the URI's
     * connect_timeout and Prisma's 5 s default applies when neither sets one.
     */
    public JdbcTarget toJdbc(PoolSettings settings) {
        return toJdbc(settings.connectTimeoutSeconds());
    }

    /**
     * What an application that hands this URI straight to {@code DriverManager} gets instead: the pgjdbc URL with
     * the URI's pool keys as its query (so they configure that connection's pool, as pool keys in a JDBC URL do),
     * and the translated properties with the credentials. No connectTimeout: the pool applies connect_timeout.
     */
    public JdbcTarget toDriverCall() {
        JdbcTarget target = toJdbc(-1);
        if (poolParameters.isEmpty()) {
            return target;
        }
        StringBuilder url = new StringBuilder(target.url());
        char sep = '?';
        for (Map.Entry<String, String> e : poolParameters.entrySet()) {
            url.append(sep).append(e.getKey()).append('=');
            encodeQueryValue(url, e.getValue());
            sep = '&';
        }
        return new JdbcTarget(url.toString(), target.properties());
    }

    private JdbcTarget toJdbc(long connectTimeoutSeconds) {
        StringBuilder url = new StringBuilder(48).append("jdbc:postgresql://");
        for (int h = 0; h < hosts.size(); h++) {
            if (h > 0) {
                url.append(',');
            }
            url.append(hosts.get(h).authority());
        }
        url.append('/');
        encodePathSegment(url, database);
        Properties props = new Properties();
        props.putAll(translated);
        if (connectTimeoutSeconds >= 0) {
            // libpq's connect_timeout covers the whole handshake, pgjdbc's connectTimeout only the socket connect,
            // so both are set (pgbouncer-prisma.md §2.3)
            String secs = Long.toString(connectTimeoutSeconds);
            props.setProperty("connectTimeout", secs);
            props.setProperty("loginTimeout", secs);
        }
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        return new JdbcTarget(url.toString(), props);
    }

    /** Renames libpq/Prisma keys to pgjdbc's (pgbouncer-prisma.md §2.3); pool keys and URI parts are left out. */
    private static Map<String, String> translate(Map<String, String> params) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : params.entrySet()) {
            String k = e.getKey();
            String v = e.getValue();
            if (PoolSettings.urlPoolKey(k) != null || URI_PART_KEYS.contains(k) || k.equals(MAX_DB_CONNECTIONS)) {
                continue;
            }
            switch (k) {
                case "application_name" -> out.put("ApplicationName", v);
                // Prisma's per-connection statement cache; pgjdbc's counterpart counts queries too
                case "statement_cache_size" -> out.put("preparedStatementCacheQueries",
                        Integer.toString(PoolSettings.parseWholeNumber(k, v)));
                case "socket_timeout" -> out.put("socketTimeout",
                        Long.toString(PoolSettings.ceilSeconds(k, v, Integer.MAX_VALUE)));
                case "schema" -> out.put("currentSchema", v);
                case "sslidentity" -> out.put("sslkey", v); // Prisma's PKCS#12 identity; pgjdbc reads .p12 keys
                case "channel_binding" -> out.put("channelBinding", v);
                case "gssencmode" -> out.put("gssEncMode", v);
                case "target_session_attrs" -> out.put("targetServerType", targetServerType(v));
                case "load_balance_hosts" -> {
                    if (v.equals("random")) {
                        out.put("loadBalanceHosts", "true");
                    } else if (v.equals("disable")) {
                        out.put("loadBalanceHosts", "false");
                    } else {
                        throw new ConfigException(k, v, "must be disable or random");
                    }
                }
                case "keepalives" -> out.put("tcpKeepAlive", keepalives(v));
                // options, sslmode, ssl, sslrootcert, sslcert, sslkey, sslpassword, service: pgjdbc uses the same
                // names; pgjdbc property names pass through; unknown keys too (pgjdbc ignores them)
                default -> out.put(k, v);
            }
        }
        return out;
    }

    /** pgjdbc decides "primary" by whether the server accepts writes, which is libpq's read-write. */
    private static String targetServerType(String v) {
        switch (v) {
            case "any":
                return "any";
            case "read-write":
            case "primary":
                return "primary";
            case "read-only":
            case "standby":
                return "secondary";
            case "prefer-standby":
                return "preferSecondary";
            default:
                throw new ConfigException("target_session_attrs", v,
                        "must be one of any, read-write, primary, read-only, standby, prefer-standby");
        }
    }

    /** libpq reads keepalives as an integer: 0 off, anything else on. */
    private static String keepalives(String v) {
        boolean digits = !v.isEmpty() && v.length() <= 9;
        for (int c = 0; digits && c < v.length(); c++) {
            digits = v.charAt(c) >= '0' && v.charAt(c) <= '9';
        }
        if (!digits) {
            throw new ConfigException("keepalives", v, "must be 0 or 1");
        }
        return Integer.parseInt(v) == 0 ? "false" : "true";
    }

    /** Query values are read back with URLDecoder, so the same escaping as a path segment is right. */
    private static void encodeQueryValue(StringBuilder sb, String s) {
        encodePathSegment(sb, s);
    }

    /** pgjdbc URL-decodes the database name ('+' = space), so everything but unreserved characters is escaped. */
    private static void encodePathSegment(StringBuilder sb, String s) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
    }
}
