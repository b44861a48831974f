package io.poolagent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing of libpq / Prisma URIs, mostly the vectors from libpq's regress.in (pgbouncer-prisma.md §2.3). */
class DatabaseUrlTest {

    private static HostPort hp(String host, int port) {
        return new HostPort(host, port);
    }

    @Test
    void fullUriWithUserPasswordHostPortDatabase() {
        DatabaseUrl u = DatabaseUrl.parse("postgresql://uri-user:secret@host:12345/db");
        assertEquals(List.of(hp("host", 12345)), u.hosts());
        assertEquals("db", u.database());
        assertEquals("uri-user", u.user());
        assertTrue(u.hasPassword());
        assertEquals("secret", u.password());
        assertEquals(Map.of(), u.parameters());
        assertEquals("postgresql://uri-user:***@host:12345/db", u.redacted());
    }

    @Test
    void prismaExampleWithPoolKeys() {
        DatabaseUrl u = DatabaseUrl.parse(
                "postgresql://user:pass@host:5432/db?connection_limit=15&pool_timeout=20&connect_timeout=10");
        assertEquals(List.of(hp("host", 5432)), u.hosts());
        assertEquals(List.of("connection_limit", "pool_timeout", "connect_timeout"),
                List.copyOf(u.poolParameters().keySet()));
        assertEquals(Map.of("connection_limit", "15", "pool_timeout", "20", "connect_timeout", "10"),
                u.poolParameters());
        assertEquals(List.of(), u.unknownParameters());
    }

    @Test
    void prismasStatementCacheSizeBecomesPgjdbcsPreparedStatementCacheQueries() {
        DatabaseUrl u = DatabaseUrl.parse("postgresql://h/db?statement_cache_size=0");
        assertEquals("0", u.toJdbc().properties().getProperty("preparedStatementCacheQueries"));
        assertFalse(u.toJdbc().properties().containsKey("statement_cache_size"));
        assertEquals(List.of(), u.unknownParameters());
        ConfigException e = assertThrows(ConfigException.class,
                () -> DatabaseUrl.parse("postgresql://h/db?statement_cache_size=-1").toJdbc());
        assertTrue(e.getMessage().contains("statement_cache_size") && e.getMessage().contains("\"-1\""),
                e.getMessage());
    }

    @Test
    void percentEncodedPasswordFromPrismaDocs() {
        DatabaseUrl u = DatabaseUrl.parse("postgresql://johndoe:p%40%24%24w0rd@localhost:5432/mydb");
        assertEquals("p@$$w0rd", u.password());
        assertEquals("johndoe", u.user());
        assertEquals("postgresql://johndoe:***@localhost:5432/mydb", u.redacted());
    }

    @Test
    void passwordWithEncodedColonSlashAtPercent() {
        DatabaseUrl u = DatabaseUrl.parse("postgres://us%65r:a%3Ab%2Fc%40d%25e@db.example.com/app");
        assertEquals("user", u.user());
        assertEquals("a:b/c@d%e", u.password());
        assertEquals(List.of(hp("db.example.com", 5432)), u.hosts());
        assertEquals("postgres://us%65r:***@db.example.com/app", u.redacted());
    }

    @Test
    void unencodedColonAndAtInPasswordAreKept() {
        // the user info ends at the last '@' of the authority; the password starts after the first ':'
        DatabaseUrl u = DatabaseUrl.parse("postgresql://u:pa:ss@word@host/db");
        assertEquals("u", u.user());
        assertEquals("pa:ss@word", u.password());
        assertEquals(List.of(hp("host", 5432)), u.hosts());
        assertEquals("postgresql://u:***@host/db", u.redacted());
    }

    @Test
    void plusIsLiteralAsInLibpq() {
        DatabaseUrl u = DatabaseUrl.parse("postgresql://u:a+b@h/d?application_name=a+b%20c");
        assertEquals("a+b", u.password());
        assertEquals("a+b c", u.parameters().get("application_name"));
    }

    @Test
    void utf8PercentEncoding() {
        DatabaseUrl u = DatabaseUrl.parse("postgresql://j%C3%BCrgen:p%C3%A4ss@h/caf%C3%A9");
        assertEquals("jürgen", u.user());
        assertEquals("päss", u.password());
        assertEquals("café", u.database());
    }

    @Test
    void ipv6WithPort() {
        DatabaseUrl u = DatabaseUrl.parse("postgresql://[::1]:12345/db");
        assertEquals(List.of(hp("::1", 12345)), u.hosts());
        assertEquals("jdbc:postgresql://[::1]:12345/db", u.toJdbc().url());
    }

    @Test
    void ipv6WithoutPort() {
        DatabaseUrl u = DatabaseUrl.parse("postgresql://[2001:db8::1]/database");
        assertEquals(List.of(hp("2001:db8::1", 5432)), u.hosts());
        assertEquals("database", u.database());
        assertEquals("jdbc:postgresql://[2001:db8::1]:5432/database", u.toJdbc().url());
    }

    @Test
    void ipv6WithoutPathOrPort() {
        DatabaseUrl u = DatabaseUrl.parse("postgres://[::1]");
        assertEquals(List.of(hp("::1", 5432)), u.hosts());
        assertEquals("postgres", u.database());
    }

    @Test
    void severalHostsWithAndWithoutPorts() {
        DatabaseUrl u = DatabaseUrl.parse("postgresql://host1:123,host2,[::1]:456/somedb?target_session_attrs=any");
        assertEquals(List.of(hp("host1", 123), hp("host2", 5432), hp("::1", 456)), u.hosts());
        assertEquals("jdbc:postgresql://host1:123,host2:5432,[::1]:456/somedb", u.toJdbc().url());
    }

    @Test
    void postgresSchemeMissingDatabaseAndPort() {
        DatabaseUrl u = DatabaseUrl.parse("postgres://host");
        assertEquals(List.of(hp("host", 5432)), u.hosts());
        assertEquals("postgres", u.database());
        assertNull(u.user());
        assertFalse(u.hasPassword());
        assertEquals("jdbc:postgresql://host:5432/postgres", u.toJdbc().url());
    }

    @Test
    void schemeIsCaseInsensitiveAndWhitespaceTrimmed() {
        DatabaseUrl u = DatabaseUrl.parse("  PostgreSQL://h/d\n");
        assertEquals(List.of(hp("h", 5432)), u.hosts());
        assertEquals("PostgreSQL://h/d", u.redacted());
    }

    @Test
    void emptyEverythingMeansLocalhostAndPostgres() {
        DatabaseUrl u = DatabaseUrl.parse("postgresql://");
        assertEquals(List.of(hp("localhost", 5432)), u.hosts());
        assertEquals("postgres", u.database());
        DatabaseUrl v = DatabaseUrl.parse("postgresql:///mydb");
        assertEquals(List.of(hp("localhost", 5432)), v.hosts());
        assertEquals("mydb", v.database());
    }

    @Test
    void emptyUserAndEmptyPortAsInLibpq() {
        DatabaseUrl u = DatabaseUrl.parse("postgres://@host");
        assertNull(u.user());
        assertEquals(List.of(hp("host", 5432)), u.hosts());
        DatabaseUrl v = DatabaseUrl.parse("postgres://host:/");
        assertEquals(List.of(hp("host", 5432)), v.hosts());
        DatabaseUrl w = DatabaseUrl.parse("postgres://:12345/");
        assertEquals(List.of(hp("localhost", 12345)), w.hosts());
    }

    @Test
    void emptyPasswordCountsAsNone() {
        DatabaseUrl u = DatabaseUrl.parse("postgresql://u:@h/d");
        assertEquals("u", u.user());
        assertFalse(u.hasPassword());
        assertFalse(u.toJdbc().properties().containsKey("password"));
    }

    @Test
    void queryOverridesHostPortUserDatabasePassword() {
        DatabaseUrl u = DatabaseUrl.parse("postgresql://host/db?u%73er=someotheruser&port=12345");
        assertEquals("someotheruser", u.user());
        assertEquals(List.of(hp("host", 12345)), u.hosts());

        DatabaseUrl v = DatabaseUrl.parse(
                "postgresql://a:pw@h1:1/db1?host=h2&dbname=db2&user=b&password=qw%26erty&application_name=x");
        assertEquals(List.of(hp("h2", 1)), v.hosts());
        assertEquals("db2", v.database());
        assertEquals("b", v.user());
        assertEquals("qw&erty", v.password());
        assertFalse(v.parameters().containsKey("password"));
        assertEquals("postgresql://a:***@h1:1/db1?host=h2&dbname=db2&user=b&password=***&application_name=x",
                v.redacted());
    }

    @Test
    void queryPortListMatchesHosts() {
        DatabaseUrl u = DatabaseUrl.parse("postgresql:///db?host=a,b&port=1,2");
        assertEquals(List.of(hp("a", 1), hp("b", 2)), u.hosts());
        DatabaseUrl v = DatabaseUrl.parse("postgresql://x:7/db?host=a,[::1]");
        assertEquals(List.of(hp("a", 7), hp("::1", 7)), v.hosts());
    }

    @Test
    void portCountMismatchIsRejected() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> DatabaseUrl.parse("postgresql:///db?host=a,b,c&port=1,2"));
        assertEquals("invalid DATABASE_URL \"postgresql:///db?host=a,b,c&port=1,2\": 2 ports for 3 hosts:"
                + " give one port for all hosts or one per host", e.getMessage());
    }

    @Test
    void parametersKeepOrderAndLastValueWins() {
        DatabaseUrl u = DatabaseUrl.parse("postgresql://h/d?b=1&a=2&b=3&&options=-c%20x%3Dy&k=v=w");
        assertEquals(List.of("b", "a", "options", "k"), List.copyOf(u.parameters().keySet()));
        assertEquals("3", u.parameters().get("b"));
        assertEquals("-c x=y", u.parameters().get("options"));
        assertEquals("v=w", u.parameters().get("k"));
    }

    @Test
    void unknownParametersAreListedAndPassedThrough() {
        DatabaseUrl u = DatabaseUrl.parse(
                "postgresql://h/d?pgbouncer=true&prepareThreshold=0&uzer=x&sslmode=require&connection_limit=3");
        assertEquals(List.of("uzer"), u.unknownParameters());
        JdbcTarget t = u.toJdbc();
        assertNull(t.properties().getProperty("pgbouncer"), "a pool key, never passed to the driver");
        assertEquals("x", t.properties().getProperty("uzer"));
        assertEquals("0", t.properties().getProperty("prepareThreshold"));
        assertEquals(Map.of("pgbouncer", "true", "connection_limit", "3"), u.poolParameters());
    }

    @Test
    void driverCallCarriesPoolKeysInTheUrlAndNoConnectTimeout() {
        DatabaseUrl u = DatabaseUrl.parse("postgresql://us%40r:p%40ss@db:6432/my%20db?pgbouncer=true&schema=s1"
                + "&connect_timeout=3&reset_query=DISCARD%20ALL&application_name=web");
        JdbcTarget t = u.toDriverCall();
        assertEquals("jdbc:postgresql://db:6432/my%20db?pgbouncer=true&connect_timeout=3&reset_query=DISCARD%20ALL",
                t.url());
        assertEquals("us@r", t.properties().getProperty("user"));
        assertEquals("p@ss", t.properties().getProperty("password"));
        assertEquals("s1", t.properties().getProperty("currentSchema"));
        assertEquals("web", t.properties().getProperty("ApplicationName"));
        assertNull(t.properties().getProperty("connectTimeout"), "the pool applies connect_timeout");
        assertEquals("jdbc:postgresql://db:5432/d", DatabaseUrl.parse("postgresql://db/d").toDriverCall().url());
        assertEquals(Map.of("pgbouncer", "true", "connect_timeout", "3", "reset_query", "DISCARD ALL"),
                JdbcUrlParameters.split(t.url()).poolParameters(), "pool keys read back as written");
    }

    @Test
    void aUrlFromAnotherVariableIsReportedUnderItsName() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> DatabaseUrl.parse("mysql://u:secret@h/d", "DIRECT_URL"));
        assertEquals("invalid DIRECT_URL \"mysql://u:***@h/d\": must start with postgresql:// or postgres://",
                e.getMessage());
    }

    @Test
    void toStringIsRedacted() {
        DatabaseUrl u = DatabaseUrl.parse("postgresql://u:hunter2@h/d?sslpassword=keypass");
        assertEquals("postgresql://u:***@h/d?sslpassword=***", u.toString());
        assertFalse(u.toString().contains("hunter2"));
        assertFalse(u.toString().contains("keypass"));
    }

    @Test
    void encodedPasswordKeyInQueryIsRedacted() {
        DatabaseUrl u = DatabaseUrl.parse("postgresql://h/d?pass%77ord=hunter2");
        assertEquals("hunter2", u.password());
        assertEquals("postgresql://h/d?pass%77ord=***", u.redacted());
    }

    // ---- malformed input ----

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "mysql://u@h/d | mysql://u@h/d | must start with postgresql:// or postgres://",
            "jdbc:postgresql://h/d | jdbc:postgresql://h/d | must start with postgresql:// or postgres://",
            "postgres://[::1 | postgres://[::1 | unterminated [ in an IPv6 host address",
            "postgres://[::1/db | postgres://[::1/db | unterminated [ in an IPv6 host address",
            "postgres://[]/ | postgres://[]/ | empty IPv6 host address []",
            "postgres://[::1]z/ | postgres://[::1]z/ | unexpected character after ] of an IPv6 host address (expected : or ,)",
            "postgresql://host?zzz | postgresql://host?zzz | a query parameter has no \"=\" (expected name=value)",
            "postgresql://host?value1&value2 | postgresql://host?value1&value2 | a query parameter has no \"=\" (expected name=value)",
            "postgresql://host?=x | postgresql://host?=x | a query parameter has an empty name",
            "postgres://host?dbname=%XXfoo | postgres://host?dbname=%XXfoo | invalid percent-encoding in the value of query parameter \"dbname\" (expected %XX with two hex digits)",
            "postgresql://a%00b | postgresql://a%00b | %00 is not allowed in the host",
            "postgresql://%zz | postgresql://%zz | invalid percent-encoding in the host (expected %XX with two hex digits)",
            "postgresql://%1 | postgresql://%1 | invalid percent-encoding in the host (expected %XX with two hex digits)",
            "postgresql://% | postgresql://% | invalid percent-encoding in the host (expected %XX with two hex digits)",
            "postgresql://h/%C3 | postgresql://h/%C3 | the percent-encoded database name is not valid UTF-8",
            "postgresql://host:abc/db | postgresql://host:abc/db | a port is not a number from 1 to 65535",
            "postgresql://host:0/db | postgresql://host:0/db | a port is not a number from 1 to 65535",
            "postgresql://host:65536/db | postgresql://host:65536/db | a port is not a number from 1 to 65535",
            "postgresql://host:-1/db | postgresql://host:-1/db | a port is not a number from 1 to 65535",
            "postgresql://host/db?port=x | postgresql://host/db?port=x | a port is not a number from 1 to 65535",
            "postgresql://h1,,h2/db | postgresql://h1,,h2/db | empty host name in the host list",
            "postgresql://h1,/db | postgresql://h1,/db | empty host name in the host list",
            "postgresql://,h2/db | postgresql://,h2/db | empty host name in the host list",
            "postgresql://h%20x/db | postgresql://h%20x/db | a host name contains a character that is not allowed",
    })
    void malformedInputIsRejected(String uri, String shown, String reason) {
        ConfigException e = assertThrows(ConfigException.class, () -> DatabaseUrl.parse(uri));
        assertEquals("DATABASE_URL", e.key());
        assertEquals(shown, e.shownValue());
        assertEquals(reason, e.reason());
        assertEquals("invalid DATABASE_URL \"" + shown + "\": " + reason, e.getMessage());
    }

    @Test
    void emptyAndNullAreRejected() {
        assertEquals("invalid DATABASE_URL \"\": is empty",
                assertThrows(ConfigException.class, () -> DatabaseUrl.parse("  ")).getMessage());
        assertEquals("invalid DATABASE_URL \"\": is empty",
                assertThrows(ConfigException.class, () -> DatabaseUrl.parse(null)).getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "postgres://?host=/path/to/socket/dir | /path/to/socket/dir",
            "postgresql://%2Fvar%2Flib%2Fpostgresql/dbname | /var/lib/postgresql",
            "postgres://otheruser@?host=/no/such/directory | /no/such/directory",
            "postgres://:12345/db?host=/path/to/socket | /path/to/socket",
            "postgresql://h1,%2ftmp/db | /tmp",
    })
    void unixSocketsAreRejectedWithAnExplanation(String uri, String dir) {
        ConfigException e = assertThrows(ConfigException.class, () -> DatabaseUrl.parse(uri));
        assertEquals("DATABASE_URL", e.key());
        assertEquals("host \"" + dir + "\" is a Unix-domain socket directory; pgjdbc cannot use Unix sockets without"
                + " a socket factory (e.g. junixsocket), so use a TCP host such as localhost", e.reason());
    }

    @Test
    void malformedInputNeverShowsThePassword() {
        String[] bad = {
                "postgresql://user:s3cr3tpw@host:notaport/db",
                "postgresql://user:s3cr3tpw@host/db?zzz",
                "postgresql://user:s3cr3tpw@[::1/db",
                "postgresql://user:s3cr3tpw%zz@host/db",
                "postgresql://user:s3cr3tpw%00@host/db",
                "postgresql://user:s3/cr3tpw@host/db",       // unencoded '/' in the password
                "postgresql://user:s3?cr3tpw@host/db",       // unencoded '?' in the password
                "postgresql://user:1234?s3cr3tpw@host/db",   // ...with digits before it, so the "port" parses
                "postgresql://host/db?password=s3cr3tpw&x",
                "postgresql://host:1/db?sslpassword=s3cr3tpw&port=0",
                "mysql://user:s3cr3tpw@host/db",
                "postgresql://user:s3cr3tpw@/db?host=/tmp",
                "postgresql://user:/s3cr3tpw@host/db",       // '/' first: the password would be the path
        };
        for (String uri : bad) {
            ConfigException e = assertThrows(ConfigException.class, () -> DatabaseUrl.parse(uri), uri);
            assertFalse(e.getMessage().contains("s3cr3tpw"), e.getMessage());
            assertFalse(e.getMessage().contains("cr3t"), e.getMessage());
            assertFalse(e.toString().contains("cr3t"), e.toString());
            assertTrue(e.getMessage().contains("***"), e.getMessage());
        }
    }

    @Test
    void passwordWithUnencodedSlashDoesNotBecomeTheDatabaseName() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> DatabaseUrl.parse("postgresql://user:/s3cr3t@host/db"));
        assertEquals("invalid DATABASE_URL \"postgresql://user:***@host/db\": unexpected @ after the host:"
                + " percent-encode / and ? in the password as %2F and %3F, and @ in the database name as %40",
                e.getMessage());
        assertEquals("d@x", DatabaseUrl.parse("postgresql://h/d%40x").database());
        // an '@' in the query is fine
        assertEquals("me@corp", DatabaseUrl.parse("postgresql://h:5/d?application_name=me@corp")
                .parameters().get("application_name"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "postgresql://user:s3?cr3t@host/db | a query parameter has no \"=\" (expected name=value)",
            "postgresql://user:s3?c=r3t@host/db | a port is not a number from 1 to 65535",
            "postgresql://user:s3?c=r3t@host:1/db | a port is not a number from 1 to 65535",
    })
    void misplacedPasswordCharacterGetsAHint(String uri, String reason) {
        ConfigException e = assertThrows(ConfigException.class, () -> DatabaseUrl.parse(uri));
        assertEquals(reason + " (if the password contains / or ?, percent-encode them as %2F and %3F)", e.reason());
        assertFalse(e.getMessage().contains("r3t"), e.getMessage());
    }

    @Test
    void redactedIsConservativeWhenAnAtFollowsAnAuthorityWithoutUserInfo() {
        // parses (host u, port 12, query a=b@h/d) but the '@' suggests "12?a=b" was a password
        DatabaseUrl u = DatabaseUrl.parse("postgresql://u:12?a=b@h/d");
        assertEquals("postgresql://u:***@h/d", u.redacted());
        // the price: an innocent '@' in a query hides more than needed
        assertEquals("postgresql://h:***@corp", DatabaseUrl.parse("postgresql://h:5/d?application_name=me@corp").redacted());
        // with user info present the exact redaction is used
        assertEquals("postgresql://u:***@h:5/d?application_name=me@corp",
                DatabaseUrl.parse("postgresql://u:pw@h:5/d?application_name=me@corp").redacted());
        assertEquals("postgresql://h/d?application_name=me@corp",
                DatabaseUrl.parse("postgresql://h/d?application_name=me@corp").redacted());
    }

    @Test
    void noHintWithoutAStrayAt() {
        ConfigException e = assertThrows(ConfigException.class, () -> DatabaseUrl.parse("postgresql://h:x/d"));
        assertEquals("a port is not a number from 1 to 65535", e.reason());
    }
}
