package io.poolagent.intercept;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DirectRouteTest {

    @Test
    void targetIsServersAndDatabaseAsPgjdbcReadsThem() {
        assertEquals("bouncer:6432/app", DirectRoute.target("jdbc:postgresql://Bouncer:6432/app?prepareThreshold=0"));
        assertEquals("h1:5432,h2:5433/my db", DirectRoute.target("jdbc:postgresql://h1,h2:5433/my%20db"));
        assertEquals("[::1]:5432/app", DirectRoute.target("jdbc:postgresql://[::1]/app"));
        assertEquals("localhost:5432/app", DirectRoute.target("jdbc:postgresql:app"));
        assertNull(DirectRoute.target("jdbc:h2:mem:app"));
    }

    @Test
    void migrationCallersMatchByPrefixOnTheStack() {
        MigrationCallers none = new MigrationCallers(List.of("org.flywaydb.", "liquibase."));
        assertNull(none.find(), "no migration tool calls this test");
        MigrationCallers us = new MigrationCallers(List.of("io.poolagent.intercept.DirectRouteTest"));
        assertEquals(DirectRouteTest.class.getName(), us.find());
        assertTrue(none.matches("org.flywaydb.core.internal.jdbc.DriverDataSource"));
    }

    @Test
    void libpqUrlsTranslateWithTheUrlOverTheCallersProperties() throws Exception {
        LibpqUrls urls = new LibpqUrls();
        String url = "postgresql://app:p%40ss@db:6432/app?pgbouncer=true&schema=s1";
        Object[] plain = urls.translate(url, new Properties());
        assertEquals("jdbc:postgresql://db:6432/app?pgbouncer=true", plain[0]);
        Properties p = (Properties) plain[1];
        assertEquals("p@ss", p.getProperty("password"));
        assertEquals("s1", p.getProperty("currentSchema"));
        assertSame(p, urls.translate(url, null)[1], "no copy when the caller gave no properties");
        Properties given = new Properties();
        given.setProperty("user", "other");
        given.setProperty("ssl", "false");
        Properties merged = (Properties) urls.translate(url, given)[1];
        assertEquals("app", merged.getProperty("user"));
        assertEquals("false", merged.getProperty("ssl"));
        assertTrue(LibpqUrls.isLibpq("postgres://h/d") && !LibpqUrls.isLibpq("jdbc:postgresql://h/d"));
        java.sql.SQLException e = assertThrows(java.sql.SQLException.class,
                () -> urls.translate("postgresql://app:secret@db:99999/app", null));
        assertEquals("08001", e.getSQLState());
        assertEquals("pool-agent: invalid URL \"postgresql://app:***@db:99999/app\" (from DriverManager.getConnection):"
                + " a port is not a number from 1 to 65535", e.getMessage());
    }
}
