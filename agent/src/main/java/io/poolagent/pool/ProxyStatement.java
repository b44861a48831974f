package io.poolagent.pool;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;

/**
 * The Statement the application gets from a {@link PooledConnection}. Every call goes to the driver's statement,
 * except that {@link #getConnection()} answers the logical connection and result sets come back wrapped, so the
 * physical connection (which may serve another borrower later) never reaches the application.
 */
class ProxyStatement implements Statement {

    final PooledConnection owner;
    private final Statement delegate;

    ProxyStatement(PooledConnection owner, Statement delegate) {
        this.owner = owner;
        this.delegate = delegate;
    }

    /** A proxy of the most specific kind for a driver statement, so that the application's casts keep working. */
    static ProxyStatement of(PooledConnection owner, Statement statement) {
        if (statement instanceof CallableStatement) {
            return new ProxyCallableStatement(owner, (CallableStatement) statement);
        }
        if (statement instanceof PreparedStatement) {
            return new ProxyPreparedStatement(owner, (PreparedStatement) statement);
        }
        return new ProxyStatement(owner, statement);
    }

    /** The driver's statement, for the owner to close the statements the application left open. */
    final Statement delegate() {
        return delegate;
    }

    /** Result sets go out wrapped, so that their getStatement() leads back to this proxy, not the driver's. */
    final ResultSet wrap(ResultSet rs) {
        return rs == null ? null : new ProxyResultSet(this, rs, owner);
    }

    /**
     * The logical connection, never the driver's: closing that would destroy a pooled connection. It does not
     * consult the driver, so it answers even after close(), as pgjdbc's does.
     */
    @Override
    public Connection getConnection() {
        return owner.handle();
    }

    /**
     * Untracks only once the driver has closed the statement: one whose close failed stays tracked, so that the
     * owner tries again when the connection goes back. A second close() is left to the driver, which ignores it.
     */
    @Override
    public void close() throws SQLException {
        try {
            delegate.close();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
        owner.untrackStatement(this);
    }

    /** This proxy for the java.sql interfaces it implements; for a driver's own interfaces, the driver's object. */
    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        try {
            return delegate.unwrap(iface);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return true;
        }
        try {
            return delegate.isWrapperFor(iface);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public String toString() {
        return delegate.toString();
    }

    // Generated from javap java.sql.Statement (JDK 17), in declaration order: plain delegation, every
    // SQLException passing through the owner so that a fatal one gets the physical connection evicted.

    @Override
    public ResultSet executeQuery(String a0) throws SQLException {
        try {
            return wrap(delegate.executeQuery(a0));
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public int executeUpdate(String a0) throws SQLException {
        try {
            return delegate.executeUpdate(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public int getMaxFieldSize() throws SQLException {
        try {
            return delegate.getMaxFieldSize();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setMaxFieldSize(int a0) throws SQLException {
        try {
            delegate.setMaxFieldSize(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public int getMaxRows() throws SQLException {
        try {
            return delegate.getMaxRows();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setMaxRows(int a0) throws SQLException {
        try {
            delegate.setMaxRows(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setEscapeProcessing(boolean a0) throws SQLException {
        try {
            delegate.setEscapeProcessing(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public int getQueryTimeout() throws SQLException {
        try {
            return delegate.getQueryTimeout();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setQueryTimeout(int a0) throws SQLException {
        try {
            delegate.setQueryTimeout(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void cancel() throws SQLException {
        try {
            delegate.cancel();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        try {
            return delegate.getWarnings();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void clearWarnings() throws SQLException {
        try {
            delegate.clearWarnings();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setCursorName(String a0) throws SQLException {
        try {
            delegate.setCursorName(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public boolean execute(String a0) throws SQLException {
        try {
            return delegate.execute(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        try {
            return wrap(delegate.getResultSet());
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public int getUpdateCount() throws SQLException {
        try {
            return delegate.getUpdateCount();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        try {
            return delegate.getMoreResults();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setFetchDirection(int a0) throws SQLException {
        try {
            delegate.setFetchDirection(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public int getFetchDirection() throws SQLException {
        try {
            return delegate.getFetchDirection();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setFetchSize(int a0) throws SQLException {
        try {
            delegate.setFetchSize(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public int getFetchSize() throws SQLException {
        try {
            return delegate.getFetchSize();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public int getResultSetConcurrency() throws SQLException {
        try {
            return delegate.getResultSetConcurrency();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public int getResultSetType() throws SQLException {
        try {
            return delegate.getResultSetType();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void addBatch(String a0) throws SQLException {
        try {
            delegate.addBatch(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void clearBatch() throws SQLException {
        try {
            delegate.clearBatch();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public int[] executeBatch() throws SQLException {
        try {
            return delegate.executeBatch();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public boolean getMoreResults(int a0) throws SQLException {
        try {
            return delegate.getMoreResults(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        try {
            return wrap(delegate.getGeneratedKeys());
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public int executeUpdate(String a0, int a1) throws SQLException {
        try {
            return delegate.executeUpdate(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public int executeUpdate(String a0, int[] a1) throws SQLException {
        try {
            return delegate.executeUpdate(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public int executeUpdate(String a0, String[] a1) throws SQLException {
        try {
            return delegate.executeUpdate(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public boolean execute(String a0, int a1) throws SQLException {
        try {
            return delegate.execute(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public boolean execute(String a0, int[] a1) throws SQLException {
        try {
            return delegate.execute(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public boolean execute(String a0, String[] a1) throws SQLException {
        try {
            return delegate.execute(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        try {
            return delegate.getResultSetHoldability();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public boolean isClosed() throws SQLException {
        try {
            return delegate.isClosed();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setPoolable(boolean a0) throws SQLException {
        try {
            delegate.setPoolable(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public boolean isPoolable() throws SQLException {
        try {
            return delegate.isPoolable();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void closeOnCompletion() throws SQLException {
        try {
            delegate.closeOnCompletion();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public boolean isCloseOnCompletion() throws SQLException {
        try {
            return delegate.isCloseOnCompletion();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        try {
            return delegate.getLargeUpdateCount();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setLargeMaxRows(long a0) throws SQLException {
        try {
            delegate.setLargeMaxRows(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public long getLargeMaxRows() throws SQLException {
        try {
            return delegate.getLargeMaxRows();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        try {
            return delegate.executeLargeBatch();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public long executeLargeUpdate(String a0) throws SQLException {
        try {
            return delegate.executeLargeUpdate(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public long executeLargeUpdate(String a0, int a1) throws SQLException {
        try {
            return delegate.executeLargeUpdate(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public long executeLargeUpdate(String a0, int[] a1) throws SQLException {
        try {
            return delegate.executeLargeUpdate(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public long executeLargeUpdate(String a0, String[] a1) throws SQLException {
        try {
            return delegate.executeLargeUpdate(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public String enquoteLiteral(String a0) throws SQLException {
        try {
            return delegate.enquoteLiteral(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public String enquoteIdentifier(String a0, boolean a1) throws SQLException {
        try {
            return delegate.enquoteIdentifier(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public boolean isSimpleIdentifier(String a0) throws SQLException {
        try {
            return delegate.isSimpleIdentifier(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public String enquoteNCharLiteral(String a0) throws SQLException {
        try {
            return delegate.enquoteNCharLiteral(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }
}
