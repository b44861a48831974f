package io.poolagent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/** Pool keys set for some pools only: {@code connection_limit@analytics}, {@code connection_limit@reporter@analytics}. */
class ScopedSettingsTest {

    private static final String APP_MAIN = "app@db.internal:5432/main";
    private static final String APP_ANALYTICS = "app@db.internal:5432/analytics";
    private static final String REPORTER_ANALYTICS = "reporter@db.internal:5432/analytics";

    private static Properties sys(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void aDatabaseScopedValueAppliesToThatDatabaseOnly() {
        AgentConfig c = AgentConfig.load("connection_limit=15,connection_limit@analytics=5", null, null);
        assertEquals(15, c.settingsFor(Map.of(), APP_MAIN).connectionLimit());
        assertEquals(5, c.settingsFor(Map.of(), APP_ANALYTICS).connectionLimit());
        assertEquals(5, c.settingsFor(Map.of(), REPORTER_ANALYTICS).connectionLimit());
        assertEquals(15, c.defaults().connectionLimit());
    }

    @Test
    void theMostSpecificTargetWins() {
        AgentConfig c = AgentConfig.load("connection_limit@analytics=5,connection_limit@reporter@analytics=2,"
                + "pool_timeout@db.internal:5432/analytics=3,pool_timeout@app@db.internal:5432/analytics=4", null,
                null);
        assertEquals(2, c.settingsFor(Map.of(), REPORTER_ANALYTICS).connectionLimit());
        assertEquals(5, c.settingsFor(Map.of(), APP_ANALYTICS).connectionLimit());
        assertEquals(3_000_000_000L, c.settingsFor(Map.of(), REPORTER_ANALYTICS).poolTimeoutNanos());
        assertEquals(4_000_000_000L, c.settingsFor(Map.of(), APP_ANALYTICS).poolTimeoutNanos());
    }

    @Test
    void aScopedValueBeatsTheConnectionsOwnUrlAndUnscopedSources() {
        AgentConfig c = AgentConfig.load("connection_limit=20", null,
                sys("poolagent.connection_limit@analytics", "4"));
        assertEquals(4, c.settingsFor(Map.of("connection_limit", "9"), APP_ANALYTICS).connectionLimit());
        assertEquals(20, c.settingsFor(Map.of("connection_limit", "9"), APP_MAIN).connectionLimit());
        assertTrue(c.describeSources(Map.of(), APP_ANALYTICS)
                .contains("connection_limit=4 (-Dpoolagent.connection_limit@analytics)"),
                c.describeSources(Map.of(), APP_ANALYTICS));
    }

    @Test
    void aTargetMatchesWholeNamesNotParts() {
        AgentConfig c = AgentConfig.load("connection_limit@analytic=3,connection_limit@app@main=7", null, null);
        int dflt = c.defaults().connectionLimit();
        assertEquals(dflt, c.settingsFor(Map.of(), APP_ANALYTICS).connectionLimit());
        assertEquals(7, c.settingsFor(Map.of(), APP_MAIN).connectionLimit());
        assertEquals(dflt, c.settingsFor(Map.of(), "other@db.internal:5432/main").connectionLimit());
    }

    @Test
    void aBadScopedValueIsOneClearErrorAtStartUp() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> AgentConfig.load("connection_limit@analytics=lots", null, null));
        assertTrue(e.getMessage().contains("connection_limit@analytics"), e.getMessage());
        assertTrue(e.getMessage().contains("lots"), e.getMessage());
        assertThrows(ConfigException.class, () -> AgentConfig.load("connection_limit@=3", null, null));
        assertThrows(ConfigException.class, () -> AgentConfig.load("no_such_key@analytics=3", null, null));
    }

    @Test
    void environmentVariablesCannotScope() {
        AgentConfig c = AgentConfig.load(null, Map.of("POOL_AGENT_CONNECTION_LIMIT@ANALYTICS", "3"), null);
        assertEquals(1, c.ignoredVariables().size());
    }
}
