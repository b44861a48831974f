package io.poolagent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The libpq/Prisma → pgjdbc mapping table of pgbouncer-prisma.md §2.3. */
class JdbcTranslationTest {

    private static Map<String, String> props(String uri) {
        return asMap(DatabaseUrl.parse(uri).toJdbc().properties());
    }

    private static Map<String, String> asMap(Properties p) {
        Map<String, String> m = new HashMap<>();
        for (String k : p.stringPropertyNames()) {
            m.put(k, p.getProperty(k));
        }
        return m;
    }

    @Test
    void urlHasNoCredentialsNorQueryAndCredentialsAreProperties() {
        JdbcTarget t = DatabaseUrl.parse(
                "postgresql://app:p%40ss@db:6432/appdb?connection_limit=15&pool_timeout=20&application_name=web")
                .toJdbc();
        assertEquals("jdbc:postgresql://db:6432/appdb", t.url());
        assertEquals(Map.of("user", "app", "password", "p@ss", "ApplicationName", "web"), asMap(t.properties()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "application_name=myapp | ApplicationName | myapp",
            "socket_timeout=30 | socketTimeout | 30",
            "socket_timeout=0.5 | socketTimeout | 1",
            "options=-c%20statement_timeout%3D5s | options | -c statement_timeout=5s",
            "schema=myschema | currentSchema | myschema",
            "sslmode=verify-full | sslmode | verify-full",
            "sslmode=require | sslmode | require",
            "ssl=true | ssl | true",
            "sslrootcert=/etc/ca.pem | sslrootcert | /etc/ca.pem",
            "sslcert=/etc/client.pem | sslcert | /etc/client.pem",
            "sslkey=/etc/client.pk8 | sslkey | /etc/client.pk8",
            "sslpassword=kp | sslpassword | kp",
            "sslidentity=/etc/id.p12 | sslkey | /etc/id.p12",
            "channel_binding=require | channelBinding | require",
            "gssencmode=disable | gssEncMode | disable",
            "target_session_attrs=any | targetServerType | any",
            "target_session_attrs=read-write | targetServerType | primary",
            "target_session_attrs=primary | targetServerType | primary",
            "target_session_attrs=read-only | targetServerType | secondary",
            "target_session_attrs=standby | targetServerType | secondary",
            "target_session_attrs=prefer-standby | targetServerType | preferSecondary",
            "load_balance_hosts=random | loadBalanceHosts | true",
            "load_balance_hosts=disable | loadBalanceHosts | false",
            "keepalives=1 | tcpKeepAlive | true",
            "keepalives=0 | tcpKeepAlive | false",
            "service=mysvc | service | mysvc",
            "prepareThreshold=0 | prepareThreshold | 0",
            "ApplicationName=direct | ApplicationName | direct",
            "tcpKeepAlive=true | tcpKeepAlive | true",
            "sslaccept=strict | sslaccept | strict",
    })
    void eachKeyIsTranslated(String param, String pgjdbcKey, String pgjdbcValue) {
        Map<String, String> p = props("postgresql://h/d?" + param);
        assertEquals(Map.of(pgjdbcKey, pgjdbcValue), p);
    }

    @Test
    void connectTimeoutBecomesConnectAndLoginTimeout() {
        assertEquals(Map.of("connectTimeout", "10", "loginTimeout", "10"), props("postgresql://h/d?connect_timeout=10"));
        assertEquals(Map.of("connectTimeout", "0", "loginTimeout", "0"), props("postgresql://h/d?connect_timeout=0"));
        // rounded up: pgjdbc's connectTimeout is whole seconds and 0 would mean "no timeout"
        assertEquals(Map.of("connectTimeout", "1", "loginTimeout", "1"), props("postgresql://h/d?connect_timeout=0.2"));
        assertEquals(Map.of(), props("postgresql://h/d"));
    }

    @Test
    void toJdbcWithSettingsAppliesTheEffectiveConnectTimeout() {
        DatabaseUrl u = DatabaseUrl.parse("postgresql://u@h/d?connect_timeout=10&connection_limit=3");
        Properties p = u.toJdbc(new PoolSettings(3, 0, 7)).properties();
        assertEquals(Map.of("user", "u", "connectTimeout", "7", "loginTimeout", "7"), asMap(p));
        Properties q = DatabaseUrl.parse("postgresql://h/d").toJdbc(PoolSettings.defaults()).properties();
        assertEquals(Map.of("connectTimeout", "5", "loginTimeout", "5"), asMap(q));
    }

    @Test
    void poolKeysAndUriPartsNeverReachTheProperties() {
        Map<String, String> p = props("postgresql://a@h/d?connection_limit=1&pool_timeout=2&host=h2&port=6543"
                + "&dbname=x&user=b&password=pw");
        assertEquals(Map.of("user", "b", "password", "pw"), p);
    }

    @Test
    void databaseNameIsReEncodedForPgjdbc() {
        // pgjdbc URL-decodes the database name, so '+', ' ', '/', '?' and non-ASCII must be escaped
        JdbcTarget t = DatabaseUrl.parse("postgresql://h/my%20db+x%2Fy%3F%C3%A9").toJdbc();
        assertEquals("jdbc:postgresql://h:5432/my%20db%2Bx%2Fy%3F%C3%A9", t.url());
    }

    @Test
    void eachCallReturnsFreshProperties() {
        DatabaseUrl u = DatabaseUrl.parse("postgresql://h/d?application_name=a");
        u.toJdbc().properties().setProperty("ApplicationName", "changed");
        assertEquals("a", u.toJdbc().properties().getProperty("ApplicationName"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "target_session_attrs=master | target_session_attrs | master | must be one of any, read-write, primary, read-only, standby, prefer-standby",
            "load_balance_hosts=yes | load_balance_hosts | yes | must be disable or random",
            "keepalives=on | keepalives | on | must be 0 or 1",
            "socket_timeout=-1 | socket_timeout | -1 | must be a number of seconds, 0 or more",
    })
    void untranslatableValuesAreRejectedAtParseTime(String param, String key, String value, String reason) {
        ConfigException e = assertThrows(ConfigException.class, () -> DatabaseUrl.parse("postgresql://h/d?" + param));
        assertEquals(key, e.key());
        assertEquals(value, e.shownValue());
        assertEquals("invalid " + key + " \"" + value + "\": " + reason, e.getMessage());
    }

    @Test
    void invalidConnectTimeoutFailsInToJdbc() {
        DatabaseUrl u = DatabaseUrl.parse("postgresql://h/d?connect_timeout=ten");
        ConfigException e = assertThrows(ConfigException.class, u::toJdbc);
        assertEquals("invalid connect_timeout \"ten\": must be a number of seconds, 0 or more", e.getMessage());
    }

    @Test
    void targetToStringMasksSecrets() {
        JdbcTarget t = DatabaseUrl.parse("postgresql://u:hunter2@h/d?sslpassword=keypass").toJdbc();
        String s = t.toString();
        assertFalse(s.contains("hunter2"), s);
        assertFalse(s.contains("keypass"), s);
        assertTrue(s.startsWith("JdbcTarget[url=jdbc:postgresql://h:5432/d, properties={"), s);
        assertTrue(s.contains("password=***"), s);
        assertTrue(s.contains("sslpassword=***"), s);
        assertTrue(s.contains("user=u"), s);
    }
}
