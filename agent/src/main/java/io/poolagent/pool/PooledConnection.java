package io.poolagent.pool;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.ClientInfoStatus;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.ShardingKey;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * The connection the application holds: one per borrow, backed by a pooled physical connection until close().
 *
 * <p>After close() every call but close(), isClosed() and isValid() fails with SQLState 08003 and never reaches the
 * physical connection, which by then may serve another borrower. A second close() does nothing.
 */
final class PooledConnection implements Connection {

    private final ConnectionPool pool;
    private PoolEntry entry;
    /** entry.physical while open, null after close: one field read guards every call. */
    private Connection delegate;

    PooledConnection(ConnectionPool pool, PoolEntry entry) {
        this.pool = pool;
        this.entry = entry;
        this.delegate = entry.physical;
    }

    private Connection d() throws SQLException {
        Connection c = delegate;
        if (c == null) {
            throw closedError();
        }
        return c;
    }

    private SQLException closedError() {
        return new SQLException("pool-agent: this connection was closed and went back to the pool of " + pool.name()
                + "; it cannot be used any more", "08003");
    }

    @Override
    public void close() {
        PoolEntry e = entry;
        if (e == null) {
            return;
        }
        entry = null;
        delegate = null;
        pool.giveBack(e);
    }

    @Override
    public boolean isClosed() {
        return delegate == null;
    }

    @Override
    public boolean isValid(int timeout) throws SQLException {
        Connection c = delegate;
        return c != null && c.isValid(timeout);
    }

    /** Aborting kills the physical connection, so it leaves the pool for good. */
    @Override
    public void abort(Executor executor) throws SQLException {
        PoolEntry e = entry;
        if (e == null) {
            return;
        }
        entry = null;
        delegate = null;
        try {
            e.physical.abort(executor);
        } finally {
            pool.evict(e);
        }
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        Connection c = delegate;
        if (c == null) {
            throw new SQLClientInfoException(closedError().getMessage(), "08003", Map.<String, ClientInfoStatus>of());
        }
        c.setClientInfo(name, value);
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        Connection c = delegate;
        if (c == null) {
            throw new SQLClientInfoException(closedError().getMessage(), "08003", Map.<String, ClientInfoStatus>of());
        }
        c.setClientInfo(properties);
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return d().unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || d().isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "pool-agent connection (" + pool.name() + ")" + (delegate == null ? " [closed]" : "");
    }

    @Override
    public Statement createStatement() throws SQLException {
        return d().createStatement();
    }

    @Override
    public PreparedStatement prepareStatement(String a0) throws SQLException {
        return d().prepareStatement(a0);
    }

    @Override
    public CallableStatement prepareCall(String a0) throws SQLException {
        return d().prepareCall(a0);
    }

    @Override
    public String nativeSQL(String a0) throws SQLException {
        return d().nativeSQL(a0);
    }

    @Override
    public void setAutoCommit(boolean a0) throws SQLException {
        d().setAutoCommit(a0);
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        return d().getAutoCommit();
    }

    @Override
    public void commit() throws SQLException {
        d().commit();
    }

    @Override
    public void rollback() throws SQLException {
        d().rollback();
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        return d().getMetaData();
    }

    @Override
    public void setReadOnly(boolean a0) throws SQLException {
        d().setReadOnly(a0);
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        return d().isReadOnly();
    }

    @Override
    public void setCatalog(String a0) throws SQLException {
        d().setCatalog(a0);
    }

    @Override
    public String getCatalog() throws SQLException {
        return d().getCatalog();
    }

    @Override
    public void setTransactionIsolation(int a0) throws SQLException {
        d().setTransactionIsolation(a0);
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        return d().getTransactionIsolation();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return d().getWarnings();
    }

    @Override
    public void clearWarnings() throws SQLException {
        d().clearWarnings();
    }

    @Override
    public Statement createStatement(int a0, int a1) throws SQLException {
        return d().createStatement(a0, a1);
    }

    @Override
    public PreparedStatement prepareStatement(String a0, int a1, int a2) throws SQLException {
        return d().prepareStatement(a0, a1, a2);
    }

    @Override
    public CallableStatement prepareCall(String a0, int a1, int a2) throws SQLException {
        return d().prepareCall(a0, a1, a2);
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        return d().getTypeMap();
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> a0) throws SQLException {
        d().setTypeMap(a0);
    }

    @Override
    public void setHoldability(int a0) throws SQLException {
        d().setHoldability(a0);
    }

    @Override
    public int getHoldability() throws SQLException {
        return d().getHoldability();
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return d().setSavepoint();
    }

    @Override
    public Savepoint setSavepoint(String a0) throws SQLException {
        return d().setSavepoint(a0);
    }

    @Override
    public void rollback(Savepoint a0) throws SQLException {
        d().rollback(a0);
    }

    @Override
    public void releaseSavepoint(Savepoint a0) throws SQLException {
        d().releaseSavepoint(a0);
    }

    @Override
    public Statement createStatement(int a0, int a1, int a2) throws SQLException {
        return d().createStatement(a0, a1, a2);
    }

    @Override
    public PreparedStatement prepareStatement(String a0, int a1, int a2, int a3) throws SQLException {
        return d().prepareStatement(a0, a1, a2, a3);
    }

    @Override
    public CallableStatement prepareCall(String a0, int a1, int a2, int a3) throws SQLException {
        return d().prepareCall(a0, a1, a2, a3);
    }

    @Override
    public PreparedStatement prepareStatement(String a0, int a1) throws SQLException {
        return d().prepareStatement(a0, a1);
    }

    @Override
    public PreparedStatement prepareStatement(String a0, int[] a1) throws SQLException {
        return d().prepareStatement(a0, a1);
    }

    @Override
    public PreparedStatement prepareStatement(String a0, String[] a1) throws SQLException {
        return d().prepareStatement(a0, a1);
    }

    @Override
    public Clob createClob() throws SQLException {
        return d().createClob();
    }

    @Override
    public Blob createBlob() throws SQLException {
        return d().createBlob();
    }

    @Override
    public NClob createNClob() throws SQLException {
        return d().createNClob();
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        return d().createSQLXML();
    }

    @Override
    public String getClientInfo(String a0) throws SQLException {
        return d().getClientInfo(a0);
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        return d().getClientInfo();
    }

    @Override
    public Array createArrayOf(String a0, Object[] a1) throws SQLException {
        return d().createArrayOf(a0, a1);
    }

    @Override
    public Struct createStruct(String a0, Object[] a1) throws SQLException {
        return d().createStruct(a0, a1);
    }

    @Override
    public void setSchema(String a0) throws SQLException {
        d().setSchema(a0);
    }

    @Override
    public String getSchema() throws SQLException {
        return d().getSchema();
    }

    @Override
    public void setNetworkTimeout(Executor a0, int a1) throws SQLException {
        d().setNetworkTimeout(a0, a1);
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        return d().getNetworkTimeout();
    }

    @Override
    public void beginRequest() throws SQLException {
        d().beginRequest();
    }

    @Override
    public void endRequest() throws SQLException {
        d().endRequest();
    }

    @Override
    public boolean setShardingKeyIfValid(ShardingKey a0, ShardingKey a1, int a2) throws SQLException {
        return d().setShardingKeyIfValid(a0, a1, a2);
    }

    @Override
    public boolean setShardingKeyIfValid(ShardingKey a0, int a1) throws SQLException {
        return d().setShardingKeyIfValid(a0, a1);
    }

    @Override
    public void setShardingKey(ShardingKey a0, ShardingKey a1) throws SQLException {
        d().setShardingKey(a0, a1);
    }

    @Override
    public void setShardingKey(ShardingKey a0) throws SQLException {
        d().setShardingKey(a0);
    }
}
