package app;

import org.h2.jdbc.JdbcConnection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/** A DataSource that builds each H2 connection itself, past every driver, as H2's own JdbcDataSource does. */
public final class DirectH2DataSource extends BaseDirectDataSource {

    @Override
    protected Connection open(String user, String password) throws SQLException {
        return new JdbcConnection(getURL(), new Properties(), user, password == null ? null : password.toCharArray(), false);
    }
}
