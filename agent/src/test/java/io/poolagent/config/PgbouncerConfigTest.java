package io.poolagent.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** pgbouncer, DIRECT_URL and migration_callers: where they are read from and how bad values are reported. */
class PgbouncerConfigTest {

    private static final String DB = "postgresql://app:secret@bouncer:6432/app";

    @Test
    void pgbouncerIsOffByDefaultAndOnFromDatabaseUrl() {
        assertFalse(AgentConfig.load(null, Map.of("DATABASE_URL", DB), null).defaults().pgbouncer());
        AgentConfig c = AgentConfig.load(null, Map.of("DATABASE_URL", DB + "?pgbouncer=true"), null);
        assertTrue(c.defaults().pgbouncer());
        assertEquals("DATABASE_URL", c.sourceOf("pgbouncer"));
    }

    @Test
    void aHigherSourceSwitchesPgbouncerOff() {
        AgentConfig c = AgentConfig.load("pgbouncer=false", Map.of("DATABASE_URL", DB + "?pgbouncer=true"), null);
        assertFalse(c.defaults().pgbouncer());
        assertTrue(c.settingsFor(Map.of("pgbouncer", "TRUE")).pgbouncer() == false, "agent arguments win");
        assertTrue(AgentConfig.load(null, Map.of(), null).settingsFor(Map.of("pgbouncer", "TRUE")).pgbouncer());
    }

    @Test
    void aBadPgbouncerValueIsOneLineNamingKeyValueAndSource() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> AgentConfig.load(null, Map.of("DATABASE_URL", DB + "?pgbouncer=yes"), null));
        assertEquals("invalid pgbouncer \"yes\" (from DATABASE_URL): must be true or false", e.getMessage());
    }

    @Test
    void directUrlIsReadFromTheEnvironment() {
        AgentConfig c = AgentConfig.load(null, Map.of("DATABASE_URL", DB,
                "DIRECT_URL", "postgresql://owner:s3cret@db:5432/app"), null);
        assertEquals("postgresql://owner:***@db:5432/app", c.directUrl().redacted());
        assertNull(AgentConfig.load(null, Map.of("DIRECT_URL", " "), null).directUrl());
    }

    @Test
    void aMalformedDirectUrlNamesDirectUrlNotThePassword() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> AgentConfig.load(null, Map.of("DIRECT_URL", "jdbc:postgresql://db/app?password=s3cret"), null));
        assertTrue(e.getMessage().startsWith("invalid DIRECT_URL \""), e.getMessage());
        assertTrue(e.getMessage().contains("(from environment): must start with postgresql://"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        ConfigException p = assertThrows(ConfigException.class,
                () -> AgentConfig.load(null, Map.of("DIRECT_URL", "postgresql://db/app?target_session_attrs=x"), null));
        assertEquals("invalid target_session_attrs \"x\" (from DIRECT_URL): must be one of any, read-write, primary,"
                + " read-only, standby, prefer-standby", p.getMessage());
    }

    @Test
    void migrationCallersAddToFlywayAndLiquibase() {
        assertEquals(List.of("org.flywaydb.", "liquibase."), AgentConfig.load(null, Map.of(), null).migrationCallers());
        Properties sys = new Properties();
        sys.setProperty("poolagent.migration_callers", "com.acme.migrate., org.jooq.Migrations");
        assertEquals(List.of("org.flywaydb.", "liquibase.", "com.acme.migrate.", "org.jooq.Migrations"),
                AgentConfig.load(null, Map.of(), sys).migrationCallers());
        assertEquals(List.of("org.flywaydb.", "liquibase.", "a.b.", "c."),
                AgentConfig.load("migration_callers=a.b.;c.", Map.of(), null).migrationCallers());
    }

    @Test
    void aBadMigrationCallerIsOneLine() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> AgentConfig.load(null, Map.of("POOL_AGENT_MIGRATION_CALLERS", "com.acme..x"), null));
        assertEquals("invalid migration_callers \"com.acme..x\" (from POOL_AGENT_MIGRATION_CALLERS): must be package"
                + " or class names such as com.acme.migrate. separated by ; or ,", e.getMessage());
    }
}
