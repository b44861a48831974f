package io.poolagent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ConfigExceptionTest {

    @Test
    void messageWithoutAndWithSource() {
        ConfigException e = new ConfigException("connection_limit", "-3", "must be a whole number of at least 1");
        assertEquals("invalid connection_limit \"-3\": must be a whole number of at least 1", e.getMessage());
        assertNull(e.source());
        ConfigException f = e.withSource("POOL_AGENT_CONNECTION_LIMIT");
        assertEquals("invalid connection_limit \"-3\" (from POOL_AGENT_CONNECTION_LIMIT): must be a whole number of"
                + " at least 1", f.getMessage());
        assertEquals("connection_limit", f.key());
        assertEquals("-3", f.shownValue());
        assertEquals("must be a whole number of at least 1", f.reason());
        assertEquals("POOL_AGENT_CONNECTION_LIMIT", f.source());
    }

    @Test
    void unknownSettingHidesTheValue() {
        ConfigException e = ConfigException.unknownSetting("max_size", "-Dpoolagent.max_size", "a, b");
        assertEquals("unknown setting max_size (from -Dpoolagent.max_size); known settings are a, b", e.getMessage());
        assertNull(e.shownValue());
        assertEquals(e.getMessage(), e.withSource("-Dpoolagent.max_size").getMessage());
    }

    @Test
    void messageStaysOnOneLine() {
        ConfigException e = new ConfigException("log_level", "info\nFAKE LOG LINE", "must be one of error, warn");
        assertEquals("invalid log_level \"info\\u000aFAKE LOG LINE\": must be one of error, warn", e.getMessage());
    }

    @Test
    void noStackTraceForUserErrors() {
        assertEquals(0, new ConfigException("k", "v", "r").getStackTrace().length);
    }
}
