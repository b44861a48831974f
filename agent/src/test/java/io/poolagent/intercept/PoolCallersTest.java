package io.poolagent.intercept;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolCallersTest {

    @Test
    void poolFramesAreRecognisedByPackage() {
        assertEquals("HikariCP", PoolCallers.poolOf("com.zaxxer.hikari.pool.PoolBase", "newConnection"));
        assertEquals("DBCP2", PoolCallers.poolOf("org.apache.commons.dbcp2.DriverConnectionFactory", "createConnection"));
        assertEquals("c3p0", PoolCallers.poolOf("com.mchange.v2.c3p0.DriverManagerDataSource", "getConnection"));
        assertEquals("H2 JdbcConnectionPool", PoolCallers.poolOf("org.h2.jdbcx.JdbcConnectionPool", "getConnection"));
        assertNull(PoolCallers.poolOf("org.h2.jdbcx.JdbcDataSource", "getConnection"), "H2's plain DataSource is no pool");
        assertNull(PoolCallers.poolOf("app.Main", "handle"));
    }

    @Test
    void askingForAPooledConnectionMarksAPool() {
        assertEquals("com.example.AppServerPool.getPooledConnection",
                PoolCallers.poolOf("com.example.AppServerPool", "getPooledConnection"));
        assertTrue(PoolCallers.poolOf("x.Y", "getXAConnection") != null);
    }

    @Test
    void onlyDataSourcesAndPoolClassesMakeDriverManagerWalkTheStack() {
        assertFalse(PoolCallers.mayActForPool(PoolCallersTest.class), "plain application code: no walk");
        assertTrue(PoolCallers.mayActForPool(SomeDataSource.class));
        assertNull(PoolCallers.poolOnStack(), "no pool on this test's stack");
    }

    private abstract static class SomeDataSource implements javax.sql.DataSource {
    }
}
