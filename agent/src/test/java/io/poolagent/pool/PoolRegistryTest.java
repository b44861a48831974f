package io.poolagent.pool;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class PoolRegistryTest {

    /** A home-grown DataSource, in the application's package as such classes are. */
    private static final String HOME_GROWN = "com.example.app.db.PgDirectDataSource";

    @Test
    void aDataSourcePoolsDriverIsTheOneItsUrlNames() {
        assertEquals("org.postgresql.", PoolRegistry.driverPackage("jdbc:postgresql://db/app", HOME_GROWN));
        assertEquals("org.h2.", PoolRegistry.driverPackage("JDBC:H2:mem:app", HOME_GROWN));
    }

    @Test
    void aDriversOwnDataSourceNamesItsDriverWithOrWithoutAUrl() {
        assertEquals("org.h2.", PoolRegistry.driverPackage(null, "org.h2.jdbcx.JdbcDataSource"));
        assertEquals("org.mariadb.",
                PoolRegistry.driverPackage("jdbc:mysql://db/app", "org.mariadb.jdbc.MariaDbDataSource"));
    }

    /**
     * Not the DataSource's package: leak reports leave out the driver's frames, and a home-grown DataSource's package
     * is the application's, whose frames they must show.
     */
    @Test
    void otherwiseNone() {
        assertNull(PoolRegistry.driverPackage("jdbc:unknown:app", HOME_GROWN));
        assertNull(PoolRegistry.driverPackage(null, HOME_GROWN));
    }
}
