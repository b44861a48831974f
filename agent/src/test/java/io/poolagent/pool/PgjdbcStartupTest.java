package io.poolagent.pool;

import io.poolagent.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PgjdbcStartupTest {

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void pgbouncerTurnsOffServerPreparedStatementsAndMovesSchemaAndOptionsAfterConnect() {
        Properties p = props("user", "app", "options", "-c statement_timeout=5000 --lock-timeout=2s");
        PgjdbcStartup s = PgjdbcStartup.of("jdbc:postgresql://b:6432/app?currentSchema=s1,public&sslmode=disable", p, true);
        assertEquals("jdbc:postgresql://b:6432/app?sslmode=disable", s.url());
        assertEquals("0", p.getProperty("prepareThreshold"));
        assertNull(p.getProperty("options"));
        assertNull(p.getProperty("currentSchema"));
        assertEquals(List.of("search_path", "statement_timeout", "lock_timeout"), s.lateSettings());
    }

    @Test
    void anExplicitPrepareThresholdWinsForPgbouncerWithPreparedStatementSupport() {
        Properties p = props("prepareThreshold", "5");
        PgjdbcStartup.of("jdbc:postgresql://b/app", p, true);
        assertEquals("5", p.getProperty("prepareThreshold"));
        Properties q = new Properties();
        PgjdbcStartup s = PgjdbcStartup.of("jdbc:postgresql://b/app?prepareThreshold=3", q, true);
        assertNull(q.getProperty("prepareThreshold"), "the URL's value stands");
        assertEquals("jdbc:postgresql://b/app?prepareThreshold=3", s.url());
    }

    @Test
    void withoutPgbouncerNothingButTheApplicationNameChanges() {
        Properties p = props("currentSchema", "s1");
        PgjdbcStartup s = PgjdbcStartup.of("jdbc:postgresql://db/app?options=-c%20x%3Dy", p, false);
        assertEquals("jdbc:postgresql://db/app?options=-c%20x%3Dy", s.url());
        assertEquals("s1", p.getProperty("currentSchema"));
        assertNull(p.getProperty("prepareThreshold"));
        assertEquals(List.of(), s.lateSettings());
    }

    @Test
    void theApplicationsOwnNameIsKept() {
        Properties p = props("ApplicationName", "billing");
        PgjdbcStartup.of("jdbc:postgresql://db/app", p, false);
        assertEquals("billing", p.getProperty("ApplicationName"));
        Properties fromUrl = new Properties();
        PgjdbcStartup.of("jdbc:postgresql://db/app?ApplicationName=web", fromUrl, false);
        assertNull(fromUrl.getProperty("ApplicationName"), "pgjdbc reads it from the URL");
        Properties libpq = new Properties();
        PgjdbcStartup.of("jdbc:postgresql://db/app?application_name=worker%201", libpq, false);
        assertEquals("worker 1", libpq.getProperty("ApplicationName"), "libpq's name, which pgjdbc would ignore");
    }

    @Test
    void otherwiseTheNameComesFromTheLaunchCommand() {
        assertEquals("connect-per-request",
                PgjdbcStartup.derivedApplicationName("/opt/apps/connect-per-request.jar serve --port 1"));
        assertEquals("Main", PgjdbcStartup.derivedApplicationName("com.acme.Main arg"));
        assertEquals("Main", PgjdbcStartup.derivedApplicationName("acme.app/com.acme.Main"));
        assertEquals("Tool", PgjdbcStartup.derivedApplicationName("Tool"));
        assertEquals("", PgjdbcStartup.derivedApplicationName(null));
        Properties p = new Properties();
        PgjdbcStartup.of("jdbc:postgresql://db/app", p, false);
        assertEquals(PgjdbcStartup.derivedApplicationName(System.getProperty("sun.java.command")),
                p.getProperty("ApplicationName"));
    }

    @Test
    void optionsThatAreNotSettingsAreRefusedUnderPgbouncer() {
        assertEquals(List.of("a b", "1"), List.of(PgjdbcStartup.parseOptions("-ca\\ b=1").get(0)));
        ConfigException e = assertThrows(ConfigException.class,
                () -> PgjdbcStartup.of("jdbc:postgresql://b/app", props("options", "-B 100"), true));
        assertEquals("invalid options \"-B 100\": with pgbouncer=true, options can only hold settings (-c name=value),"
                + " which the agent sets after connecting because PgBouncer refuses options", e.getMessage());
    }
}
