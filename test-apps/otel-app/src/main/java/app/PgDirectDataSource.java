package app;

import org.postgresql.Driver;
import org.postgresql.jdbc.PgConnection;
import org.postgresql.util.HostSpec;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A DataSource that builds its pgjdbc connections itself, past DriverManager, as some libraries do
 * (OTEL_APP_CONNECT=datasource). pool-agent pools it only when it is named in pooled_datasources.
 */
public final class PgDirectDataSource implements DataSource {

    private String url;
    private String user;
    private String password;
    private int loginTimeout;

    public String getURL() {
        return url;
    }

    public void setURL(String url) {
        this.url = url;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return getConnection(user, password);
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        Properties props = Driver.parseURL(url, new Properties());
        if (props == null) {
            throw new SQLException("not a pgjdbc URL: " + url);
        }
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        HostSpec host = new HostSpec(props.getProperty("PGHOST"), Integer.parseInt(props.getProperty("PGPORT")));
        return new PgConnection(new HostSpec[] {host}, props, url);
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
        loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
