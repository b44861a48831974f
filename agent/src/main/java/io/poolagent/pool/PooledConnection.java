package io.poolagent.pool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
import java.util.ArrayList;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * The connection the application holds: one per borrow, backed by a pooled physical connection until close().
 *
 * <p>After close() every call but close(), isClosed() and isValid() fails with SQLState 08003 and never reaches the
 * physical connection, which by then may serve another borrower. A second close() does nothing. Statements and
 * metadata it hands out are proxies that lead back here, and are closed with it (so are the driver's own statements
 * under metadata and refcursor result sets, once getStatement() reached them). Setters record what the borrower
 * changed, so that only that is restored on return. When the driver's connection implements more interfaces
 * (org.postgresql.PGConnection, say), the pool hands out a generated subclass that implements them too
 * ({@link ConnectionHandles}); that is why this class is public and not final.
 */
public class PooledConnection implements Connection {

    private static final int AUTO_COMMIT = 1 << 7;

    private final ConnectionPool pool;
    private PoolEntry entry;
    /**
     * entry.physical while open, null after close: one field read guards every call. Volatile because the leak
     * detector may take the connection away (abandon_timeout) from another thread. The handle's own writes need no
     * full fence (see {@link #DELEGATE}): each one costs one on every borrow or return.
     */
    private volatile Connection delegate;

    /**
     * For writes without a full fence. At construction a plain write: the handle reaches other threads only through
     * the application's own hand-over or through the leak detector, which writes this field but never reads it.
     * At close a release write: it is ordered after this thread's use of the connection, and later reads from any
     * thread see null as soon as a volatile write would make them.
     */
    private static final VarHandle DELEGATE;

    static {
        try {
            DELEGATE = MethodHandles.lookup().findVarHandle(PooledConnection.class, "delegate", Connection.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    /** Why the connection was taken away, if the leak detector did it; the message of every later call. */
    private volatile String abandonedBecause;
    /** PoolEntry attribute bits the borrower changed. */
    private int dirty;
    /** Statements the borrower has not closed yet; created on the first statement. */
    private ArrayList<Statement> statements;

    /**
     * Makes a handle for a borrow of {@code entry}: {@code PooledConnection::new}, or for a driver whose connections
     * implement more interfaces, a generated subclass's constructor (see {@link ConnectionHandles}). Public because
     * generated factories, in their own class loader, implement it.
     */
    public interface Factory {
        PooledConnection create(ConnectionPool pool, PoolEntry entry);
    }

    public PooledConnection(ConnectionPool pool, PoolEntry entry) {
        this.pool = pool;
        this.entry = entry;
        DELEGATE.set(this, entry.physical);
    }

    /** The physical connection while this handle is open; for generated subclasses' delegating methods. */
    protected final Connection physical() throws SQLException {
        Connection c = delegate;
        if (c == null) {
            throw closedError();
        }
        return c;
    }

    private SQLException closedError() {
        String abandoned = abandonedBecause;
        if (abandoned != null) {
            return new SQLException(abandoned, "08003");
        }
        return new SQLException("pool-agent: this connection was closed and went back to the pool of " + pool.name()
                + "; it cannot be used any more", "08003");
    }

    /** What {@code getConnection()} of a statement or metadata object hands back: this handle, never the physical. */
    Connection handle() {
        return this;
    }

    /**
     * Every SQLException from the physical connection or its statements passes here: a fatal one (connection
     * lost, server shutting down) marks the physical connection for eviction on return. Returns it for rethrow.
     */
    SQLException checkException(SQLException e) {
        PoolEntry en = entry;
        if (en != null && Health.isFatal(e)) {
            en.broken = true;
        }
        return e;
    }

    private <S extends Statement> S track(S statement) {
        if (statements == null) {
            statements = new ArrayList<>(4);
        }
        statements.add(statement);
        return statement;
    }

    /**
     * A statement the driver made on its own (under a metadata or refcursor result set), reached through the result
     * set's getStatement(): wrapped, and closed with this handle like the statements it made. Fails with 08003 once
     * this handle is closed, as every other use does: the physical connection may serve another borrower by then.
     */
    Statement adopt(Statement statement) throws SQLException {
        physical();
        return track(ProxyStatement.of(this, statement));
    }

    /** A statement proxy was closed by the application: stop tracking it. */
    void untrackStatement(Statement statement) {
        ArrayList<Statement> list = statements;
        if (list != null) {
            for (int i = list.size() - 1; i >= 0; i--) {
                if (list.get(i) == statement) {
                    list.remove(i);
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        PoolEntry e = entry;
        if (e == null) {
            return;
        }
        ArrayList<Statement> open = statements;
        statements = null;
        if (open != null) {
            for (Statement s : open) {
                try {
                    ((ProxyStatement) s).delegate().close();
                } catch (SQLException | RuntimeException ex) {
                    e.broken = true;
                }
            }
        }
        entry = null;
        DELEGATE.setRelease(this, null);
        pool.returnFrom(e, dirty);
    }

    /** By the leak detector (abandon_timeout): every later call fails with {@code reason}; close() is harmless. */
    void abandoned(String reason) {
        abandonedBecause = reason;
        delegate = null;
        entry = null;
        statements = null;
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
        statements = null;
        pool.abortFrom(e, executor);
    }

    // --- statements and metadata: proxies that lead back to this handle

    @Override
    public Statement createStatement() throws SQLException {
        try {
            return track(new ProxyStatement(this, physical().createStatement()));
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public Statement createStatement(int type, int concurrency) throws SQLException {
        try {
            return track(new ProxyStatement(this, physical().createStatement(type, concurrency)));
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public Statement createStatement(int type, int concurrency, int holdability) throws SQLException {
        try {
            return track(new ProxyStatement(this, physical().createStatement(type, concurrency, holdability)));
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        try {
            return track(new ProxyPreparedStatement(this, physical().prepareStatement(sql)));
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency) throws SQLException {
        try {
            return track(new ProxyPreparedStatement(this, physical().prepareStatement(sql, type, concurrency)));
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability)
            throws SQLException {
        try {
            return track(new ProxyPreparedStatement(this,
                    physical().prepareStatement(sql, type, concurrency, holdability)));
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        try {
            return track(new ProxyPreparedStatement(this, physical().prepareStatement(sql, autoGeneratedKeys)));
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        try {
            return track(new ProxyPreparedStatement(this, physical().prepareStatement(sql, columnIndexes)));
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        try {
            return track(new ProxyPreparedStatement(this, physical().prepareStatement(sql, columnNames)));
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        try {
            return track(new ProxyCallableStatement(this, physical().prepareCall(sql)));
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public CallableStatement prepareCall(String sql, int type, int concurrency) throws SQLException {
        try {
            return track(new ProxyCallableStatement(this, physical().prepareCall(sql, type, concurrency)));
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public CallableStatement prepareCall(String sql, int type, int concurrency, int holdability) throws SQLException {
        try {
            return track(new ProxyCallableStatement(this, physical().prepareCall(sql, type, concurrency, holdability)));
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        try {
            return new ProxyDatabaseMetaData(this, physical().getMetaData());
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    // --- session state: remember the creation value before the first change, restore it on return

    private void changing(int attribute) throws SQLException {
        entry.remember(attribute);
        dirty |= attribute;
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        try {
            physical().setAutoCommit(autoCommit); // restored on return from PoolEntry.initialAutoCommit
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        try {
            Connection c = physical();
            changing(PoolEntry.ISOLATION);
            c.setTransactionIsolation(level);
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        try {
            Connection c = physical();
            changing(PoolEntry.READ_ONLY);
            c.setReadOnly(readOnly);
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        try {
            Connection c = physical();
            changing(PoolEntry.CATALOG);
            c.setCatalog(catalog);
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        try {
            Connection c = physical();
            changing(PoolEntry.SCHEMA);
            c.setSchema(schema);
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        try {
            Connection c = physical();
            changing(PoolEntry.NETWORK_TIMEOUT);
            c.setNetworkTimeout(executor, milliseconds);
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public void setHoldability(int holdability) throws SQLException {
        try {
            Connection c = physical();
            changing(PoolEntry.HOLDABILITY);
            c.setHoldability(holdability);
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        Connection c = clientInfoTarget();
        c.setClientInfo(name, value);
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        Connection c = clientInfoTarget();
        c.setClientInfo(properties);
    }

    private Connection clientInfoTarget() throws SQLClientInfoException {
        Connection c = delegate;
        if (c == null) {
            throw new SQLClientInfoException(closedError().getMessage(), "08003", Map.<String, ClientInfoStatus>of());
        }
        try {
            changing(PoolEntry.CLIENT_INFO);
        } catch (SQLException e) {
            throw new SQLClientInfoException(e.getMessage(), e.getSQLState(), Map.<String, ClientInfoStatus>of(), e);
        }
        return c;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return physical().unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || physical().isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "pool-agent connection (" + pool.name() + ")" + (delegate == null ? " [closed]" : "");
    }

    // --- plain delegation

    @Override
    public String nativeSQL(String a0) throws SQLException {
        try {
            return physical().nativeSQL(a0);
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        try {
            return physical().getAutoCommit();
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public void commit() throws SQLException {
        try {
            physical().commit();
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public void rollback() throws SQLException {
        try {
            physical().rollback();
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        try {
            return physical().isReadOnly();
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public String getCatalog() throws SQLException {
        try {
            return physical().getCatalog();
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        try {
            return physical().getTransactionIsolation();
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        try {
            return physical().getWarnings();
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public void clearWarnings() throws SQLException {
        try {
            physical().clearWarnings();
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        try {
            return physical().getTypeMap();
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> a0) throws SQLException {
        try {
            physical().setTypeMap(a0);
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public int getHoldability() throws SQLException {
        try {
            return physical().getHoldability();
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        try {
            return physical().setSavepoint();
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public Savepoint setSavepoint(String a0) throws SQLException {
        try {
            return physical().setSavepoint(a0);
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public void rollback(Savepoint a0) throws SQLException {
        try {
            physical().rollback(a0);
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public void releaseSavepoint(Savepoint a0) throws SQLException {
        try {
            physical().releaseSavepoint(a0);
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public Clob createClob() throws SQLException {
        try {
            return physical().createClob();
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public Blob createBlob() throws SQLException {
        try {
            return physical().createBlob();
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public NClob createNClob() throws SQLException {
        try {
            return physical().createNClob();
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        try {
            return physical().createSQLXML();
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public String getClientInfo(String a0) throws SQLException {
        try {
            return physical().getClientInfo(a0);
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        try {
            return physical().getClientInfo();
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public Array createArrayOf(String a0, Object[] a1) throws SQLException {
        try {
            return physical().createArrayOf(a0, a1);
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public Struct createStruct(String a0, Object[] a1) throws SQLException {
        try {
            return physical().createStruct(a0, a1);
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public String getSchema() throws SQLException {
        try {
            return physical().getSchema();
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        try {
            return physical().getNetworkTimeout();
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public void beginRequest() throws SQLException {
        try {
            physical().beginRequest();
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public void endRequest() throws SQLException {
        try {
            physical().endRequest();
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public boolean setShardingKeyIfValid(ShardingKey a0, ShardingKey a1, int a2) throws SQLException {
        try {
            return physical().setShardingKeyIfValid(a0, a1, a2);
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public boolean setShardingKeyIfValid(ShardingKey a0, int a1) throws SQLException {
        try {
            return physical().setShardingKeyIfValid(a0, a1);
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public void setShardingKey(ShardingKey a0, ShardingKey a1) throws SQLException {
        try {
            physical().setShardingKey(a0, a1);
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public void setShardingKey(ShardingKey a0) throws SQLException {
        try {
            physical().setShardingKey(a0);
        } catch (SQLException e) {
            throw checkException(e);
        }
    }
}
