package app;

import org.postgresql.Driver;
import org.postgresql.jdbc.PgConnection;
import org.postgresql.util.HostSpec;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A DataSource that builds each pgjdbc connection itself, past DriverManager and the driver's connect, as some
 * libraries do: the PostgreSQL counterpart of {@link DirectH2DataSource}.
 */
public final class DirectPgDataSource extends BaseDirectDataSource {

    @Override
    protected Connection open(String user, String password) throws SQLException {
        String url = getURL();
        Properties props = Driver.parseURL(url, new Properties());
        if (props == null) {
            throw new SQLException("not a pgjdbc URL: " + url);
        }
        props.setProperty("user", user);
        props.setProperty("password", password);
        HostSpec host = new HostSpec(props.getProperty("PGHOST"), Integer.parseInt(props.getProperty("PGPORT")));
        return new PgConnection(new HostSpec[] {host}, props, url);
    }
}
