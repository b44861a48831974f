package io.poolagent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Never touches the real environment or system properties: every source is an explicit map. */
class AgentConfigTest {

    private static final int CPUS = Runtime.getRuntime().availableProcessors();
    private static final long S = 1_000_000_000L;

    private static Properties sys(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void jmxCanBeTurnedOff() {
        assertFalse(AgentConfig.load("jmx=false", env(), null).jmx());
        assertFalse(AgentConfig.load(null, env("POOL_AGENT_JMX", "FALSE"), null).jmx());
        ConfigException e = assertThrows(ConfigException.class, () -> AgentConfig.load("jmx=no", env(), null));
        assertEquals("invalid jmx \"no\" (from agent arguments): must be true or false", e.getMessage());
    }

    @Test
    void logToIsStderrUnlessSlf4jIsAskedFor() {
        assertFalse(AgentConfig.load(null, env(), null).logToSlf4j());
        assertFalse(AgentConfig.load("log_to=stderr", env(), null).logToSlf4j());
        assertTrue(AgentConfig.load(null, env("POOL_AGENT_LOG_TO", "SLF4J"), null).logToSlf4j());
        ConfigException e = assertThrows(ConfigException.class, () -> AgentConfig.load("log_to=logback", env(), null));
        assertEquals("invalid log_to \"logback\" (from agent arguments): must be stderr or slf4j", e.getMessage());
    }

    @Test
    void nothingConfiguredGivesDefaults() {
        AgentConfig c = AgentConfig.load(null, env("PATH", "/bin", "HOME", "/root"), sys("java.version", "17"));
        assertTrue(c.enabled());
        assertFalse(c.strict());
        assertEquals("quiet", c.logLevel());
        assertTrue(c.jmx());
        assertNull(c.databaseUrl());
        assertEquals(new PoolSettings(CPUS * 2 + 1, 10 * S, 5), c.defaults());
        assertEquals("connection_limit=" + (CPUS * 2 + 1) + " (default), pool_timeout=10s (default),"
                + " connect_timeout=5s (default), idle_timeout=300s (default), max_lifetime=1800s (default), min_idle=0 (default), reset_query=(none) (default), leak_detection_threshold=60s (default), abandon_timeout=0 (off) (default), pgbouncer=false (default)", c.describeSources());
        assertEquals(c.defaults(), AgentConfig.load(null, null, null).defaults());
    }

    @Test
    void blankDatabaseUrlIsIgnored() {
        assertNull(AgentConfig.load("", env("DATABASE_URL", "  "), new Properties()).databaseUrl());
    }

    @Test
    void databaseUrlQueryIsLevelFour() {
        AgentConfig c = AgentConfig.load(null,
                env("DATABASE_URL", "postgresql://u:pw@h/d?connection_limit=15&pool_timeout=20&connect_timeout=10"),
                new Properties());
        assertEquals(new PoolSettings(15, 20 * S, 10), c.defaults());
        assertEquals("connection_limit=15 (DATABASE_URL), pool_timeout=20s (DATABASE_URL),"
                + " connect_timeout=10s (DATABASE_URL), idle_timeout=300s (default), max_lifetime=1800s (default), min_idle=0 (default), reset_query=(none) (default), leak_detection_threshold=60s (default), abandon_timeout=0 (off) (default), pgbouncer=false (default)", c.describeSources());
        assertEquals("postgresql://u:***@h/d?connection_limit=15&pool_timeout=20&connect_timeout=10",
                c.databaseUrl().redacted());
    }

    @Test
    void prismasLifetimeNamesInDatabaseUrlSetIdleTimeoutAndMaxLifetimeBelowTheAgentsOwnSources() {
        AgentConfig c = AgentConfig.load(null, env("DATABASE_URL",
                "postgresql://u:pw@h/d?max_idle_connection_lifetime=60&max_connection_lifetime=0"), new Properties());
        assertEquals(60 * S, c.defaults().idleTimeoutNanos());
        assertEquals(0, c.defaults().maxLifetimeNanos(), "0 = never, as in Prisma");
        assertTrue(c.describeSources().contains("idle_timeout=60s (DATABASE_URL)"), c.describeSources());
        assertEquals(List.of(), c.databaseUrl().unknownParameters(), "the aliases are known keys");
        assertFalse(c.databaseUrl().toJdbc().properties().containsKey("max_idle_connection_lifetime"),
                "pool keys never reach the driver");

        AgentConfig env = AgentConfig.load(null, env("DATABASE_URL", "postgresql://h/d?max_idle_connection_lifetime=60",
                "POOL_AGENT_IDLE_TIMEOUT", "30"), new Properties());
        assertEquals(30 * S, env.defaults().idleTimeoutNanos(), "the environment outranks DATABASE_URL");

        ConfigException both = assertThrows(ConfigException.class, () -> AgentConfig.load(null,
                env("DATABASE_URL", "postgresql://h/d?idle_timeout=30&max_idle_connection_lifetime=60"),
                new Properties()));
        assertTrue(both.getMessage().contains("idle_timeout a second time"), both.getMessage());

        ConfigException bad = assertThrows(ConfigException.class, () -> AgentConfig.load(null,
                env("DATABASE_URL", "postgresql://h/d?max_connection_lifetime=soon"), new Properties()));
        assertTrue(bad.getMessage().contains("max_connection_lifetime") && bad.getMessage().contains("\"soon\""),
                bad.getMessage());
    }

    @Test
    void precedenceAcrossAllFiveLevels() {
        // connection_limit is set at all four levels, pool_timeout at the lower three, connect_timeout at the lowest
        Map<String, String> e = env(
                "DATABASE_URL", "postgresql://h/d?connection_limit=4&pool_timeout=4&connect_timeout=4",
                "POOL_AGENT_CONNECTION_LIMIT", "3",
                "POOL_AGENT_POOL_TIMEOUT", "3");
        Properties p = sys("poolagent.connection_limit", "2", "poolagent.pool_timeout", "2");
        String args = "connection_limit=1";

        AgentConfig c = AgentConfig.load(args, e, p);
        assertEquals(new PoolSettings(1, 2 * S, 4), c.defaults());
        assertEquals("connection_limit=1 (agent arguments), pool_timeout=2s (-Dpoolagent.pool_timeout),"
                + " connect_timeout=4s (DATABASE_URL), idle_timeout=300s (default), max_lifetime=1800s (default), min_idle=0 (default), reset_query=(none) (default), leak_detection_threshold=60s (default), abandon_timeout=0 (off) (default), pgbouncer=false (default)", c.describeSources());

        // drop the top level at each step
        assertEquals(new PoolSettings(2, 2 * S, 4), AgentConfig.load(null, e, p).defaults());
        assertEquals(new PoolSettings(3, 3 * S, 4), AgentConfig.load(null, e, new Properties()).defaults());
        Map<String, String> onlyUrl = env("DATABASE_URL", e.get("DATABASE_URL"));
        assertEquals(new PoolSettings(4, 4 * S, 4), AgentConfig.load(null, onlyUrl, null).defaults());
        assertEquals(new PoolSettings(CPUS * 2 + 1, 10 * S, 5), AgentConfig.load(null, env(), null).defaults());

        assertEquals("agent arguments", c.sourceOf("connection_limit"));
        assertEquals("-Dpoolagent.pool_timeout", c.sourceOf("pool_timeout"));
        assertEquals("DATABASE_URL", c.sourceOf("connect_timeout"));
        assertEquals("POOL_AGENT_POOL_TIMEOUT", AgentConfig.load(null, e, null).sourceOf("pool_timeout"));
        assertEquals("default", c.sourceOf("strict"));
    }

    @Test
    void connectionUrlKeysRankBetweenAgentSourcesAndDatabaseUrl() {
        Map<String, String> e = env(
                "DATABASE_URL", "postgresql://h/d?connection_limit=4&pool_timeout=4",
                "POOL_AGENT_CONNECTION_LIMIT", "3");
        AgentConfig c = AgentConfig.load(null, e, null);
        Map<String, String> fromUrl = Map.of("connection_limit", "9", "pool_timeout", "9", "connect_timeout", "9");
        assertEquals(new PoolSettings(3, 9 * S, 9), c.settingsFor(fromUrl));
        assertEquals("connection_limit=3 (POOL_AGENT_CONNECTION_LIMIT), pool_timeout=9s (JDBC URL),"
                + " connect_timeout=9s (JDBC URL), idle_timeout=300s (default), max_lifetime=1800s (default), min_idle=0 (default), reset_query=(none) (default), leak_detection_threshold=60s (default), abandon_timeout=0 (off) (default), pgbouncer=false (default)", c.describeSources(fromUrl));
        // keys the connection's URL does not set fall back to DATABASE_URL, then defaults
        assertEquals(new PoolSettings(3, 4 * S, 2), c.settingsFor(Map.of("connect_timeout", "2")));
        assertEquals(new PoolSettings(3, 4 * S, 5), c.settingsFor(Map.of()));
        assertSame(c.defaults(), c.settingsFor(null));
    }

    @Test
    void invalidConnectionUrlValueNamesTheJdbcUrl() {
        AgentConfig c = AgentConfig.load(null, env(), null);
        ConfigException e = assertThrows(ConfigException.class,
                () -> c.settingsFor(Map.of("connection_limit", "0")));
        assertEquals("invalid connection_limit \"0\" (from JDBC URL): must be a whole number of at least 1",
                e.getMessage());
    }

    @Test
    void agentKeysFromAllThreeSources() {
        AgentConfig c = AgentConfig.load("enabled=false", env("POOL_AGENT_STRICT", "TRUE"),
                sys("poolagent.log_level", "Debug"));
        assertFalse(c.enabled());
        assertTrue(c.strict());
        assertEquals("debug", c.logLevel());
        assertEquals("POOL_AGENT_STRICT", c.sourceOf("strict"));
        assertEquals("agent arguments", c.sourceOf("enabled"));
        assertEquals("-Dpoolagent.log_level", c.sourceOf("log_level"));

        AgentConfig d = AgentConfig.load("strict=false", env("POOL_AGENT_STRICT", "true"),
                sys("poolagent.strict", "true"));
        assertFalse(d.strict());
    }

    @Test
    void telemetryKeys() {
        AgentConfig dflt = AgentConfig.load(null, env(), null);
        assertTrue(dflt.openTelemetry());
        assertFalse(dflt.traceAllBorrows());

        AgentConfig c = AgentConfig.load("trace_all_borrows=true", env("POOL_AGENT_OPENTELEMETRY", "false"), null);
        assertFalse(c.openTelemetry());
        assertTrue(c.traceAllBorrows());
        assertEquals("POOL_AGENT_OPENTELEMETRY", c.sourceOf("opentelemetry"));
        assertEquals("agent arguments", c.sourceOf("trace_all_borrows"));

        ConfigException e = assertThrows(ConfigException.class,
                () -> AgentConfig.load(null, null, sys("poolagent.trace_all_borrows", "yes")));
        assertEquals("invalid trace_all_borrows \"yes\" (from -Dpoolagent.trace_all_borrows): must be true or false",
                e.getMessage());
    }

    @Test
    void agentArgumentsAreTrimmedAndEmptyItemsSkipped() {
        AgentConfig c = AgentConfig.load(" connection_limit = 15 , pool_timeout=0.5,,log_level=warn,", env(), null);
        assertEquals(new PoolSettings(15, S / 2, 5), c.defaults());
        assertEquals("warn", c.logLevel());
    }

    @Test
    void agentKeysInDatabaseUrlAreNotSettings() {
        AgentConfig c = AgentConfig.load(null, env("DATABASE_URL", "postgresql://h/d?strict=true&enabled=false"), null);
        assertFalse(c.strict());
        assertTrue(c.enabled());
        assertEquals(List.of("strict", "enabled"), c.databaseUrl().unknownParameters());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // args | sys key | sys value | env key | env value | message
            "pool_timeout=ten | | | | | invalid pool_timeout \"ten\" (from agent arguments): must be a number of seconds, 0 or more",
            " | poolagent.pool_timeout | ten | | | invalid pool_timeout \"ten\" (from -Dpoolagent.pool_timeout): must be a number of seconds, 0 or more",
            " | | | POOL_AGENT_CONNECTION_LIMIT | -3 | invalid connection_limit \"-3\" (from POOL_AGENT_CONNECTION_LIMIT): must be a whole number of at least 1",
            " | | | DATABASE_URL | postgresql://u:pw@h/d?connect_timeout=-1 | invalid connect_timeout \"-1\" (from DATABASE_URL): must be a number of seconds, 0 or more",
            " | | | DATABASE_URL | postgresql://u:pw@h/d?target_session_attrs=x | invalid target_session_attrs \"x\" (from DATABASE_URL): must be one of any, read-write, primary, read-only, standby, prefer-standby",
            " | | | DATABASE_URL | postgresql://u:pw@h:x/d | invalid DATABASE_URL \"postgresql://u:***@h:x/d\" (from environment): a port is not a number from 1 to 65535",
            " | | | DATABASE_URL | postgres://?host=/tmp | invalid DATABASE_URL \"postgres://?host=/tmp\" (from environment): host \"/tmp\" is a Unix-domain socket directory; pgjdbc cannot use Unix sockets without a socket factory (e.g. junixsocket), so use a TCP host such as localhost",
            "enabled=yes | | | | | invalid enabled \"yes\" (from agent arguments): must be true or false",
            " | poolagent.strict | 1 | | | invalid strict \"1\" (from -Dpoolagent.strict): must be true or false",
            " | | | POOL_AGENT_LOG_LEVEL | trace | invalid log_level \"trace\" (from POOL_AGENT_LOG_LEVEL): must be one of error, warn, quiet, info, debug",
            "connection_limit | | | | | invalid connection_limit (from agent arguments): expected key=value in the agent arguments (settings are separated by commas, so a value cannot contain one)",
            "log_level=warn,info | | | | | invalid info (from agent arguments): expected key=value in the agent arguments (settings are separated by commas, so a value cannot contain one)",
            "conection_limit=5 | | | | | unknown setting conection_limit (from agent arguments); known settings are connection_limit, pool_timeout, connect_timeout, idle_timeout, max_lifetime, min_idle, reset_query, leak_detection_threshold, abandon_timeout, pgbouncer, enabled, strict, log_level, log_to, jmx, opentelemetry, trace_all_borrows, max_db_connections, pooled_datasources, migration_callers",
            " | poolagent.max_size | 5 | | | unknown setting max_size (from -Dpoolagent.max_size); known settings are connection_limit, pool_timeout, connect_timeout, idle_timeout, max_lifetime, min_idle, reset_query, leak_detection_threshold, abandon_timeout, pgbouncer, enabled, strict, log_level, log_to, jmx, opentelemetry, trace_all_borrows, max_db_connections, pooled_datasources, migration_callers",
    })
    void errorsNameKeyValueAndSource(String args, String sysKey, String sysValue, String envKey, String envValue,
            String message) {
        Properties p = sysKey == null ? new Properties() : sys(sysKey, sysValue);
        Map<String, String> e = envKey == null ? env() : env(envKey, envValue);
        ConfigException ex = assertThrows(ConfigException.class, () -> AgentConfig.load(args, e, p));
        assertEquals(message, ex.getMessage());
    }

    @Test
    void overriddenInvalidDatabaseUrlValueIsNotAnError() {
        AgentConfig c = AgentConfig.load(null,
                env("DATABASE_URL", "postgresql://h/d?pool_timeout=ten", "POOL_AGENT_POOL_TIMEOUT", "1"), null);
        assertEquals(S, c.defaults().poolTimeoutNanos());
    }

    @Test
    void unknownPoolAgentVariablesAreIgnoredAndListedNotFatal() {
        AgentConfig c = AgentConfig.load(null, env("POOL_AGENT_JAR", "/opt/pool-agent.jar",
                "POOL_AGENT_POOLTIMEOUT", "5", "POOL_AGENT_POOL_TIMEOUT", "7"), null);
        assertEquals(7 * S, c.defaults().poolTimeoutNanos());
        assertEquals(List.of("POOL_AGENT_JAR", "POOL_AGENT_POOLTIMEOUT"), c.ignoredVariables().stream().sorted().toList());
    }

    @Test
    void otherSystemPropertiesAndEnvironmentVariablesAreIgnored() {
        AgentConfig c = AgentConfig.load(null, env("POOLAGENT_X", "1", "POOL_AGENTX", "1", "pool_agent_foo", "1"),
                sys("poolagentx.foo", "1", "pool.agent.foo", "1"));
        assertEquals(PoolSettings.defaults(), c.defaults());
    }

    @Test
    void strictRequestedFollowsPrecedenceAndToleratesBrokenConfig() {
        Map<String, String> brokenEnv = env("POOL_AGENT_STRICT", "true", "POOL_AGENT_CONNECTION_LIMIT", "zero",
                "DATABASE_URL", "mysql://x");
        assertThrows(ConfigException.class, () -> AgentConfig.load(null, brokenEnv, null));
        assertTrue(AgentConfig.strictRequested(null, brokenEnv, null));
        assertTrue(AgentConfig.strictRequested("garbage,strict = TRUE ,x", null, null));
        assertTrue(AgentConfig.strictRequested(null, null, sys("poolagent.strict", " true")));
        assertFalse(AgentConfig.strictRequested("strict=false", brokenEnv, null));
        assertFalse(AgentConfig.strictRequested(null, brokenEnv, sys("poolagent.strict", "false")));
        assertFalse(AgentConfig.strictRequested("strict=true,strict=false", null, null));
        assertFalse(AgentConfig.strictRequested(null, env("POOL_AGENT_STRICT", "yes"), null));
        assertFalse(AgentConfig.strictRequested(null, null, null));
    }

    @Test
    void noPasswordInAnyMessageOrToString() {
        String pw = "Sup3rS3cret";
        String url = "postgresql://app:" + pw + "@db:5432/app?sslpassword=" + pw + "&connection_limit=7";
        AgentConfig c = AgentConfig.load(null, env("DATABASE_URL", url), null);
        assertFalse(c.toString().contains(pw), c.toString());
        assertFalse(c.describeSources().contains(pw));
        assertFalse(c.databaseUrl().toString().contains(pw));
        assertFalse(c.databaseUrl().redacted().contains(pw));
        assertFalse(c.databaseUrl().toJdbc().toString().contains(pw));
        assertEquals("enabled=true, strict=false, log_level=quiet, log_to=stderr, jmx=true, opentelemetry=true, trace_all_borrows=false, connection_limit=7 (DATABASE_URL),"
                + " pool_timeout=10s (default), connect_timeout=5s (default), idle_timeout=300s (default), max_lifetime=1800s (default), min_idle=0 (default), reset_query=(none) (default), leak_detection_threshold=60s (default), abandon_timeout=0 (off) (default), pgbouncer=false (default), DATABASE_URL=postgresql://app:***@db:5432"
                + "/app?sslpassword=***&connection_limit=7", c.toString());

        String[] badUrls = {
                "postgresql://app:" + pw + "@db:99999/app",
                "postgresql://app:" + pw + "@db/app?connection_limit=x",
                "postgresql://app:" + pw + "@db/app?keepalives=x",
                "postgresql://app@db/app?password=" + pw + "&pool_timeout=x",
                "postgresql://app:" + pw + "@/app?host=/var/run",
                "postgresql://app:" + pw.substring(0, 4) + "/" + pw.substring(4) + "@db/app",
        };
        for (String bad : badUrls) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> AgentConfig.load(null, env("DATABASE_URL", bad), null), bad);
            assertFalse(e.getMessage().contains(pw), e.getMessage());
            assertFalse(e.getMessage().contains("S3cret"), e.getMessage());
            assertFalse(String.valueOf(e.shownValue()).contains("S3cret"), e.getMessage());
        }

        // a URL pasted where settings belong
        ConfigException a = assertThrows(ConfigException.class, () -> AgentConfig.load(url, env(), null));
        assertFalse(a.getMessage().contains(pw), a.getMessage());
        assertEquals("unknown setting postgresql://app:***@db:5432/app?sslpassword (from agent arguments);"
                + " known settings are connection_limit, pool_timeout, connect_timeout, idle_timeout, max_lifetime, min_idle, reset_query, leak_detection_threshold, abandon_timeout, pgbouncer, enabled, strict, log_level, log_to, jmx, opentelemetry, trace_all_borrows, max_db_connections, pooled_datasources, migration_callers",
                a.getMessage());
        ConfigException b = assertThrows(ConfigException.class,
                () -> AgentConfig.load("postgresql://app:" + pw + "@db/app", env(), null));
        assertEquals("invalid postgresql://app:***@db/app (from agent arguments): expected key=value in the agent"
                + " arguments (settings are separated by commas, so a value cannot contain one)", b.getMessage());
    }

    @Test
    void keysListsEverySetting() {
        assertEquals(List.of("connection_limit", "pool_timeout", "connect_timeout", "idle_timeout", "max_lifetime", "min_idle", "reset_query", "leak_detection_threshold", "abandon_timeout", "pgbouncer", "enabled", "strict", "log_level", "log_to", "jmx", "opentelemetry", "trace_all_borrows", "max_db_connections", "pooled_datasources", "migration_callers"),
                AgentConfig.KEYS);
    }

    @Test
    void maxDbConnectionsDefaultsToTheConnectionLimit() {
        assertEquals(7, AgentConfig.load(null, env("DATABASE_URL", "postgresql://u@h/d?connection_limit=7"), null)
                .maxDbConnections());
        assertEquals(3, AgentConfig.load("max_db_connections=3", env("DATABASE_URL",
                "postgresql://u@h/d?connection_limit=7"), null).maxDbConnections());
        AgentConfig fromUrl = AgentConfig.load(null, env("DATABASE_URL",
                "postgresql://u@h/d?connection_limit=7&max_db_connections=20"), null);
        assertEquals(20, fromUrl.maxDbConnections());
        assertFalse(fromUrl.databaseUrl().toJdbc().properties().containsKey("max_db_connections"),
                "never passed to the driver");
        assertEquals(List.of(), fromUrl.databaseUrl().unknownParameters());
        ConfigException e = assertThrows(ConfigException.class,
                () -> AgentConfig.load(null, env("POOL_AGENT_MAX_DB_CONNECTIONS", "0"), null));
        assertEquals("invalid max_db_connections \"0\" (from POOL_AGENT_MAX_DB_CONNECTIONS): must be a whole number"
                + " of at least 1", e.getMessage());
    }

    @Test
    void pooledDataSourcesAreClassNamesSeparatedBySemicolonsOrSpaces() {
        assertEquals(List.of("com.example.A", "com.example.B$Inner", "C"),
                AgentConfig.load("pooled_datasources=com.example.A; com.example.B$Inner C", env(), null)
                        .pooledDataSources());
        assertEquals(List.of(), AgentConfig.load(null, env(), null).pooledDataSources());
        ConfigException e = assertThrows(ConfigException.class,
                () -> AgentConfig.load(null, env("POOL_AGENT_POOLED_DATASOURCES", "com.example.A;not-a-class"), null));
        assertTrue(e.getMessage().startsWith("invalid pooled_datasources \"com.example.A;not-a-class\""
                + " (from POOL_AGENT_POOLED_DATASOURCES)"), e.getMessage());
    }
}
