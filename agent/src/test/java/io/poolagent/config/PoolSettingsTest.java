package io.poolagent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PoolSettingsTest {

    private static final int CPUS = Runtime.getRuntime().availableProcessors();

    @Test
    void lifetimesMinIdleAndResetQuery() {
        PoolSettings p = PoolSettings.parse(Map.of("connection_limit", "4", "idle_timeout", "0", "max_lifetime", "60.5",
                "min_idle", "2", "reset_query", " DISCARD ALL "));
        assertEquals(0, p.idleTimeoutNanos());
        assertEquals(60_500_000_000L, p.maxLifetimeNanos());
        assertEquals(2, p.minIdle());
        assertEquals("DISCARD ALL", p.resetQuery());
        ConfigException tooMany = assertThrows(ConfigException.class,
                () -> PoolSettings.parse(Map.of("connection_limit", "2", "min_idle", "3")));
        assertEquals("invalid min_idle \"3\": must not exceed connection_limit (2)", tooMany.getMessage());
        assertThrows(ConfigException.class, () -> PoolSettings.parse(Map.of("idle_timeout", "-1")));
        assertThrows(ConfigException.class, () -> PoolSettings.parse(Map.of("reset_query", " ")));
    }

    @Test
    void keys() {
        assertEquals(List.of("connection_limit", "pool_timeout", "connect_timeout", "idle_timeout", "max_lifetime", "min_idle", "reset_query", "leak_detection_threshold", "abandon_timeout", "pgbouncer"), PoolSettings.KEYS);
    }

    @Test
    void prismaDefaults() {
        PoolSettings d = PoolSettings.defaults();
        assertEquals(CPUS * 2 + 1, d.connectionLimit());
        assertEquals(10_000_000_000L, d.poolTimeoutNanos());
        assertEquals(5, d.connectTimeoutSeconds());
        assertEquals("connection_limit=" + (CPUS * 2 + 1) + ", pool_timeout=10s, connect_timeout=5s, idle_timeout=300s, max_lifetime=1800s, min_idle=0, reset_query=(none), leak_detection_threshold=60s, abandon_timeout=0 (off), pgbouncer=false", d.describe());
        assertEquals(d, PoolSettings.parse(Map.of()));
    }

    @Test
    void parsesAllKeys() {
        PoolSettings s = PoolSettings.parse(Map.of("connection_limit", "15", "pool_timeout", "20",
                "connect_timeout", "10"));
        assertEquals(15, s.connectionLimit());
        assertEquals(20_000_000_000L, s.poolTimeoutNanos());
        assertEquals(10, s.connectTimeoutSeconds());
        assertEquals("connection_limit=15, pool_timeout=20s, connect_timeout=10s, idle_timeout=300s, max_lifetime=1800s, min_idle=0, reset_query=(none), leak_detection_threshold=60s, abandon_timeout=0 (off), pgbouncer=false", s.describe());
        assertEquals(s.describe(), s.toString());
    }

    @Test
    void zeroMeansWaitForeverAndNoTimeout() {
        PoolSettings s = PoolSettings.parse(Map.of("connection_limit", "1", "pool_timeout", "0",
                "connect_timeout", "0"));
        assertEquals(0, s.poolTimeoutNanos());
        assertEquals(0, s.connectTimeoutSeconds());
        assertEquals("connection_limit=1, pool_timeout=0 (wait forever), connect_timeout=0 (none), idle_timeout=300s, max_lifetime=1800s, min_idle=0, reset_query=(none), leak_detection_threshold=60s, abandon_timeout=0 (off), pgbouncer=false", s.describe());
    }

    @Test
    void decimals() {
        PoolSettings s = PoolSettings.parse(Map.of("pool_timeout", "0.5", "connect_timeout", "2.25"));
        assertEquals(500_000_000L, s.poolTimeoutNanos());
        assertEquals(3, s.connectTimeoutSeconds()); // rounded up to whole seconds for pgjdbc
        assertEquals("pool_timeout=0.5s", s.describe("pool_timeout"));
        // a tiny positive value must not become 0, which would mean "wait forever"
        assertEquals(1, PoolSettings.parse(Map.of("pool_timeout", "0.0000000001")).poolTimeoutNanos());
        assertEquals(1, PoolSettings.parse(Map.of("connect_timeout", "0.001")).connectTimeoutSeconds());
        assertEquals(1_500_000_000L, PoolSettings.parse(Map.of("pool_timeout", "1.50")).poolTimeoutNanos());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "connection_limit | -3 | must be a whole number of at least 1",
            "connection_limit | 0 | must be a whole number of at least 1",
            "connection_limit | 1.5 | must be a whole number of at least 1",
            "connection_limit | ten | must be a whole number of at least 1",
            "connection_limit | '' | must be a whole number of at least 1",
            "connection_limit | ' 5' | must be a whole number of at least 1",
            "connection_limit | 2147483648 | must be at most 2147483647",
            "connection_limit | 99999999999999999999 | must be at most 2147483647",
            "pool_timeout | -1 | must be a number of seconds, 0 or more",
            "pool_timeout | ten | must be a number of seconds, 0 or more",
            "pool_timeout | 1e3 | must be a number of seconds, 0 or more",
            "pool_timeout | .5 | must be a number of seconds, 0 or more",
            "pool_timeout | 5. | must be a number of seconds, 0 or more",
            "pool_timeout | NaN | must be a number of seconds, 0 or more",
            "pool_timeout | +5 | must be a number of seconds, 0 or more",
            "pool_timeout | 10s | must be a number of seconds, 0 or more",
            "pool_timeout | 9223372037 | must be at most 9223372036 seconds",
            "connect_timeout | -0.5 | must be a number of seconds, 0 or more",
            "connect_timeout | 2147483648 | must be at most 2147483647 seconds",
    })
    void invalidValues(String key, String value, String reason) {
        ConfigException e = assertThrows(ConfigException.class, () -> PoolSettings.parse(Map.of(key, value)));
        assertEquals(key, e.key());
        assertEquals(value, e.shownValue());
        assertEquals("invalid " + key + " \"" + value + "\": " + reason, e.getMessage());
    }

    @Test
    void constructorRejectsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new PoolSettings(0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new PoolSettings(1, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new PoolSettings(1, 0, -1));
        assertEquals("connection_limit=1, pool_timeout=0.000000001s, connect_timeout=0 (none), idle_timeout=300s, max_lifetime=1800s, min_idle=0, reset_query=(none), leak_detection_threshold=60s, abandon_timeout=0 (off), pgbouncer=false",
                new PoolSettings(1, 1, 0).describe());
    }

    @Test
    void unknownKeysInTheMapAreIgnored() {
        assertEquals(PoolSettings.defaults(), PoolSettings.parse(Map.of("pool_size", "3")));
    }
}
