package io.poolagent.pool;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;
import javax.sql.RowSet;

/**
 * A result set whose {@link #getStatement()} leads to a statement proxy, and from there to the logical
 * connection, never to the driver's statement and physical connection.
 */
final class ProxyResultSet implements ResultSet {

    private final ResultSet delegate;
    private final PooledConnection owner;
    /**
     * The proxy of the statement that made this result set. Null for result sets not made through a statement
     * proxy (metadata ones: pgjdbc runs those on statements of its own), until getStatement() wraps the driver's
     * statement. Not final for that reason, and not synchronized: a result set is used by one thread at a time,
     * and a race would at worst make two equivalent proxies.
     */
    private Statement statementProxy;

    ProxyResultSet(Statement statementProxy, ResultSet delegate, PooledConnection owner) {
        this.statementProxy = statementProxy;
        this.delegate = delegate;
        this.owner = owner;
    }

    /**
     * The statement proxy this result set was made with, without asking the driver. Otherwise the driver's
     * statement, wrapped once and closed with the handle; null if the driver has none.
     */
    @Override
    public Statement getStatement() throws SQLException {
        Statement s = statementProxy;
        if (s == null) {
            Statement physical;
            try {
                physical = delegate.getStatement();
            } catch (SQLException e) {
                throw owner.checkException(e);
            }
            if (physical != null) {
                s = owner.adopt(physical);
                statementProxy = s;
            }
        }
        return s;
    }

    /**
     * A value read from a result set or an OUT parameter, with a result set (a refcursor, which pgjdbc fetches on a
     * statement of its own) wrapped so that it too leads back to the logical connection. Other values unchanged.
     */
    static Object cursorLeadingBack(Object value, PooledConnection owner) {
        return isCursor(value) ? new ProxyResultSet(null, (ResultSet) value, owner) : value;
    }

    /** The same, for getObject(column, type): wrapped only when the caller asked for a type the proxy has. */
    static <T> T cursorLeadingBack(T value, Class<T> type, PooledConnection owner) {
        if (isCursor(value) && type.isAssignableFrom(ProxyResultSet.class)) {
            return type.cast(new ProxyResultSet(null, (ResultSet) value, owner));
        }
        return value;
    }

    /** A driver's result set; not a RowSet, which is disconnected and which callers cast to its own type. */
    private static boolean isCursor(Object value) {
        return value instanceof ResultSet && !(value instanceof ProxyResultSet) && !(value instanceof RowSet);
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

    // Generated from javap java.sql.ResultSet (JDK 17), in declaration order: plain delegation, every
    // SQLException passing through the owner so that a fatal one gets the physical connection evicted.

    @Override
    public boolean next() throws SQLException {
        try {
            return delegate.next();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            delegate.close();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public boolean wasNull() throws SQLException {
        try {
            return delegate.wasNull();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public String getString(int a0) throws SQLException {
        try {
            return delegate.getString(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public boolean getBoolean(int a0) throws SQLException {
        try {
            return delegate.getBoolean(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public byte getByte(int a0) throws SQLException {
        try {
            return delegate.getByte(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public short getShort(int a0) throws SQLException {
        try {
            return delegate.getShort(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public int getInt(int a0) throws SQLException {
        try {
            return delegate.getInt(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public long getLong(int a0) throws SQLException {
        try {
            return delegate.getLong(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public float getFloat(int a0) throws SQLException {
        try {
            return delegate.getFloat(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public double getDouble(int a0) throws SQLException {
        try {
            return delegate.getDouble(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Deprecated
    @Override
    public BigDecimal getBigDecimal(int a0, int a1) throws SQLException {
        try {
            return delegate.getBigDecimal(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public byte[] getBytes(int a0) throws SQLException {
        try {
            return delegate.getBytes(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public Date getDate(int a0) throws SQLException {
        try {
            return delegate.getDate(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public Time getTime(int a0) throws SQLException {
        try {
            return delegate.getTime(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public Timestamp getTimestamp(int a0) throws SQLException {
        try {
            return delegate.getTimestamp(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public InputStream getAsciiStream(int a0) throws SQLException {
        try {
            return delegate.getAsciiStream(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Deprecated
    @Override
    public InputStream getUnicodeStream(int a0) throws SQLException {
        try {
            return delegate.getUnicodeStream(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public InputStream getBinaryStream(int a0) throws SQLException {
        try {
            return delegate.getBinaryStream(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public String getString(String a0) throws SQLException {
        try {
            return delegate.getString(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public boolean getBoolean(String a0) throws SQLException {
        try {
            return delegate.getBoolean(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public byte getByte(String a0) throws SQLException {
        try {
            return delegate.getByte(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public short getShort(String a0) throws SQLException {
        try {
            return delegate.getShort(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public int getInt(String a0) throws SQLException {
        try {
            return delegate.getInt(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public long getLong(String a0) throws SQLException {
        try {
            return delegate.getLong(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public float getFloat(String a0) throws SQLException {
        try {
            return delegate.getFloat(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public double getDouble(String a0) throws SQLException {
        try {
            return delegate.getDouble(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Deprecated
    @Override
    public BigDecimal getBigDecimal(String a0, int a1) throws SQLException {
        try {
            return delegate.getBigDecimal(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public byte[] getBytes(String a0) throws SQLException {
        try {
            return delegate.getBytes(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public Date getDate(String a0) throws SQLException {
        try {
            return delegate.getDate(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public Time getTime(String a0) throws SQLException {
        try {
            return delegate.getTime(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public Timestamp getTimestamp(String a0) throws SQLException {
        try {
            return delegate.getTimestamp(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public InputStream getAsciiStream(String a0) throws SQLException {
        try {
            return delegate.getAsciiStream(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Deprecated
    @Override
    public InputStream getUnicodeStream(String a0) throws SQLException {
        try {
            return delegate.getUnicodeStream(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public InputStream getBinaryStream(String a0) throws SQLException {
        try {
            return delegate.getBinaryStream(a0);
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
    public String getCursorName() throws SQLException {
        try {
            return delegate.getCursorName();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        try {
            return delegate.getMetaData();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public Object getObject(int a0) throws SQLException {
        try {
            return cursorLeadingBack(delegate.getObject(a0), owner);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public Object getObject(String a0) throws SQLException {
        try {
            return cursorLeadingBack(delegate.getObject(a0), owner);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public int findColumn(String a0) throws SQLException {
        try {
            return delegate.findColumn(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public Reader getCharacterStream(int a0) throws SQLException {
        try {
            return delegate.getCharacterStream(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public Reader getCharacterStream(String a0) throws SQLException {
        try {
            return delegate.getCharacterStream(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public BigDecimal getBigDecimal(int a0) throws SQLException {
        try {
            return delegate.getBigDecimal(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public BigDecimal getBigDecimal(String a0) throws SQLException {
        try {
            return delegate.getBigDecimal(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public boolean isBeforeFirst() throws SQLException {
        try {
            return delegate.isBeforeFirst();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public boolean isAfterLast() throws SQLException {
        try {
            return delegate.isAfterLast();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public boolean isFirst() throws SQLException {
        try {
            return delegate.isFirst();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public boolean isLast() throws SQLException {
        try {
            return delegate.isLast();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void beforeFirst() throws SQLException {
        try {
            delegate.beforeFirst();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void afterLast() throws SQLException {
        try {
            delegate.afterLast();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public boolean first() throws SQLException {
        try {
            return delegate.first();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public boolean last() throws SQLException {
        try {
            return delegate.last();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public int getRow() throws SQLException {
        try {
            return delegate.getRow();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public boolean absolute(int a0) throws SQLException {
        try {
            return delegate.absolute(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public boolean relative(int a0) throws SQLException {
        try {
            return delegate.relative(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public boolean previous() throws SQLException {
        try {
            return delegate.previous();
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
    public int getType() throws SQLException {
        try {
            return delegate.getType();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public int getConcurrency() throws SQLException {
        try {
            return delegate.getConcurrency();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public boolean rowUpdated() throws SQLException {
        try {
            return delegate.rowUpdated();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public boolean rowInserted() throws SQLException {
        try {
            return delegate.rowInserted();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public boolean rowDeleted() throws SQLException {
        try {
            return delegate.rowDeleted();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateNull(int a0) throws SQLException {
        try {
            delegate.updateNull(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateBoolean(int a0, boolean a1) throws SQLException {
        try {
            delegate.updateBoolean(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateByte(int a0, byte a1) throws SQLException {
        try {
            delegate.updateByte(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateShort(int a0, short a1) throws SQLException {
        try {
            delegate.updateShort(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateInt(int a0, int a1) throws SQLException {
        try {
            delegate.updateInt(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateLong(int a0, long a1) throws SQLException {
        try {
            delegate.updateLong(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateFloat(int a0, float a1) throws SQLException {
        try {
            delegate.updateFloat(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateDouble(int a0, double a1) throws SQLException {
        try {
            delegate.updateDouble(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateBigDecimal(int a0, BigDecimal a1) throws SQLException {
        try {
            delegate.updateBigDecimal(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateString(int a0, String a1) throws SQLException {
        try {
            delegate.updateString(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateBytes(int a0, byte[] a1) throws SQLException {
        try {
            delegate.updateBytes(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateDate(int a0, Date a1) throws SQLException {
        try {
            delegate.updateDate(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateTime(int a0, Time a1) throws SQLException {
        try {
            delegate.updateTime(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateTimestamp(int a0, Timestamp a1) throws SQLException {
        try {
            delegate.updateTimestamp(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateAsciiStream(int a0, InputStream a1, int a2) throws SQLException {
        try {
            delegate.updateAsciiStream(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateBinaryStream(int a0, InputStream a1, int a2) throws SQLException {
        try {
            delegate.updateBinaryStream(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateCharacterStream(int a0, Reader a1, int a2) throws SQLException {
        try {
            delegate.updateCharacterStream(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateObject(int a0, Object a1, int a2) throws SQLException {
        try {
            delegate.updateObject(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateObject(int a0, Object a1) throws SQLException {
        try {
            delegate.updateObject(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateNull(String a0) throws SQLException {
        try {
            delegate.updateNull(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateBoolean(String a0, boolean a1) throws SQLException {
        try {
            delegate.updateBoolean(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateByte(String a0, byte a1) throws SQLException {
        try {
            delegate.updateByte(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateShort(String a0, short a1) throws SQLException {
        try {
            delegate.updateShort(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateInt(String a0, int a1) throws SQLException {
        try {
            delegate.updateInt(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateLong(String a0, long a1) throws SQLException {
        try {
            delegate.updateLong(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateFloat(String a0, float a1) throws SQLException {
        try {
            delegate.updateFloat(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateDouble(String a0, double a1) throws SQLException {
        try {
            delegate.updateDouble(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateBigDecimal(String a0, BigDecimal a1) throws SQLException {
        try {
            delegate.updateBigDecimal(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateString(String a0, String a1) throws SQLException {
        try {
            delegate.updateString(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateBytes(String a0, byte[] a1) throws SQLException {
        try {
            delegate.updateBytes(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateDate(String a0, Date a1) throws SQLException {
        try {
            delegate.updateDate(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateTime(String a0, Time a1) throws SQLException {
        try {
            delegate.updateTime(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateTimestamp(String a0, Timestamp a1) throws SQLException {
        try {
            delegate.updateTimestamp(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateAsciiStream(String a0, InputStream a1, int a2) throws SQLException {
        try {
            delegate.updateAsciiStream(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateBinaryStream(String a0, InputStream a1, int a2) throws SQLException {
        try {
            delegate.updateBinaryStream(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateCharacterStream(String a0, Reader a1, int a2) throws SQLException {
        try {
            delegate.updateCharacterStream(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateObject(String a0, Object a1, int a2) throws SQLException {
        try {
            delegate.updateObject(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateObject(String a0, Object a1) throws SQLException {
        try {
            delegate.updateObject(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void insertRow() throws SQLException {
        try {
            delegate.insertRow();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateRow() throws SQLException {
        try {
            delegate.updateRow();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void deleteRow() throws SQLException {
        try {
            delegate.deleteRow();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void refreshRow() throws SQLException {
        try {
            delegate.refreshRow();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void cancelRowUpdates() throws SQLException {
        try {
            delegate.cancelRowUpdates();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void moveToInsertRow() throws SQLException {
        try {
            delegate.moveToInsertRow();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void moveToCurrentRow() throws SQLException {
        try {
            delegate.moveToCurrentRow();
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public Object getObject(int a0, Map<String, Class<?>> a1) throws SQLException {
        try {
            return cursorLeadingBack(delegate.getObject(a0, a1), owner);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public Ref getRef(int a0) throws SQLException {
        try {
            return delegate.getRef(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public Blob getBlob(int a0) throws SQLException {
        try {
            return delegate.getBlob(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public Clob getClob(int a0) throws SQLException {
        try {
            return delegate.getClob(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public Array getArray(int a0) throws SQLException {
        try {
            return delegate.getArray(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public Object getObject(String a0, Map<String, Class<?>> a1) throws SQLException {
        try {
            return cursorLeadingBack(delegate.getObject(a0, a1), owner);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public Ref getRef(String a0) throws SQLException {
        try {
            return delegate.getRef(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public Blob getBlob(String a0) throws SQLException {
        try {
            return delegate.getBlob(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public Clob getClob(String a0) throws SQLException {
        try {
            return delegate.getClob(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public Array getArray(String a0) throws SQLException {
        try {
            return delegate.getArray(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public Date getDate(int a0, Calendar a1) throws SQLException {
        try {
            return delegate.getDate(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public Date getDate(String a0, Calendar a1) throws SQLException {
        try {
            return delegate.getDate(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public Time getTime(int a0, Calendar a1) throws SQLException {
        try {
            return delegate.getTime(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public Time getTime(String a0, Calendar a1) throws SQLException {
        try {
            return delegate.getTime(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public Timestamp getTimestamp(int a0, Calendar a1) throws SQLException {
        try {
            return delegate.getTimestamp(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public Timestamp getTimestamp(String a0, Calendar a1) throws SQLException {
        try {
            return delegate.getTimestamp(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public URL getURL(int a0) throws SQLException {
        try {
            return delegate.getURL(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public URL getURL(String a0) throws SQLException {
        try {
            return delegate.getURL(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateRef(int a0, Ref a1) throws SQLException {
        try {
            delegate.updateRef(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateRef(String a0, Ref a1) throws SQLException {
        try {
            delegate.updateRef(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateBlob(int a0, Blob a1) throws SQLException {
        try {
            delegate.updateBlob(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateBlob(String a0, Blob a1) throws SQLException {
        try {
            delegate.updateBlob(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateClob(int a0, Clob a1) throws SQLException {
        try {
            delegate.updateClob(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateClob(String a0, Clob a1) throws SQLException {
        try {
            delegate.updateClob(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateArray(int a0, Array a1) throws SQLException {
        try {
            delegate.updateArray(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateArray(String a0, Array a1) throws SQLException {
        try {
            delegate.updateArray(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public RowId getRowId(int a0) throws SQLException {
        try {
            return delegate.getRowId(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public RowId getRowId(String a0) throws SQLException {
        try {
            return delegate.getRowId(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateRowId(int a0, RowId a1) throws SQLException {
        try {
            delegate.updateRowId(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateRowId(String a0, RowId a1) throws SQLException {
        try {
            delegate.updateRowId(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public int getHoldability() throws SQLException {
        try {
            return delegate.getHoldability();
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
    public void updateNString(int a0, String a1) throws SQLException {
        try {
            delegate.updateNString(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateNString(String a0, String a1) throws SQLException {
        try {
            delegate.updateNString(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateNClob(int a0, NClob a1) throws SQLException {
        try {
            delegate.updateNClob(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateNClob(String a0, NClob a1) throws SQLException {
        try {
            delegate.updateNClob(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public NClob getNClob(int a0) throws SQLException {
        try {
            return delegate.getNClob(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public NClob getNClob(String a0) throws SQLException {
        try {
            return delegate.getNClob(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public SQLXML getSQLXML(int a0) throws SQLException {
        try {
            return delegate.getSQLXML(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public SQLXML getSQLXML(String a0) throws SQLException {
        try {
            return delegate.getSQLXML(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateSQLXML(int a0, SQLXML a1) throws SQLException {
        try {
            delegate.updateSQLXML(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateSQLXML(String a0, SQLXML a1) throws SQLException {
        try {
            delegate.updateSQLXML(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public String getNString(int a0) throws SQLException {
        try {
            return delegate.getNString(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public String getNString(String a0) throws SQLException {
        try {
            return delegate.getNString(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public Reader getNCharacterStream(int a0) throws SQLException {
        try {
            return delegate.getNCharacterStream(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public Reader getNCharacterStream(String a0) throws SQLException {
        try {
            return delegate.getNCharacterStream(a0);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateNCharacterStream(int a0, Reader a1, long a2) throws SQLException {
        try {
            delegate.updateNCharacterStream(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateNCharacterStream(String a0, Reader a1, long a2) throws SQLException {
        try {
            delegate.updateNCharacterStream(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateAsciiStream(int a0, InputStream a1, long a2) throws SQLException {
        try {
            delegate.updateAsciiStream(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateBinaryStream(int a0, InputStream a1, long a2) throws SQLException {
        try {
            delegate.updateBinaryStream(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateCharacterStream(int a0, Reader a1, long a2) throws SQLException {
        try {
            delegate.updateCharacterStream(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateAsciiStream(String a0, InputStream a1, long a2) throws SQLException {
        try {
            delegate.updateAsciiStream(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateBinaryStream(String a0, InputStream a1, long a2) throws SQLException {
        try {
            delegate.updateBinaryStream(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateCharacterStream(String a0, Reader a1, long a2) throws SQLException {
        try {
            delegate.updateCharacterStream(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateBlob(int a0, InputStream a1, long a2) throws SQLException {
        try {
            delegate.updateBlob(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateBlob(String a0, InputStream a1, long a2) throws SQLException {
        try {
            delegate.updateBlob(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateClob(int a0, Reader a1, long a2) throws SQLException {
        try {
            delegate.updateClob(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateClob(String a0, Reader a1, long a2) throws SQLException {
        try {
            delegate.updateClob(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateNClob(int a0, Reader a1, long a2) throws SQLException {
        try {
            delegate.updateNClob(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateNClob(String a0, Reader a1, long a2) throws SQLException {
        try {
            delegate.updateNClob(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateNCharacterStream(int a0, Reader a1) throws SQLException {
        try {
            delegate.updateNCharacterStream(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateNCharacterStream(String a0, Reader a1) throws SQLException {
        try {
            delegate.updateNCharacterStream(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateAsciiStream(int a0, InputStream a1) throws SQLException {
        try {
            delegate.updateAsciiStream(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateBinaryStream(int a0, InputStream a1) throws SQLException {
        try {
            delegate.updateBinaryStream(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateCharacterStream(int a0, Reader a1) throws SQLException {
        try {
            delegate.updateCharacterStream(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateAsciiStream(String a0, InputStream a1) throws SQLException {
        try {
            delegate.updateAsciiStream(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateBinaryStream(String a0, InputStream a1) throws SQLException {
        try {
            delegate.updateBinaryStream(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateCharacterStream(String a0, Reader a1) throws SQLException {
        try {
            delegate.updateCharacterStream(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateBlob(int a0, InputStream a1) throws SQLException {
        try {
            delegate.updateBlob(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateBlob(String a0, InputStream a1) throws SQLException {
        try {
            delegate.updateBlob(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateClob(int a0, Reader a1) throws SQLException {
        try {
            delegate.updateClob(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateClob(String a0, Reader a1) throws SQLException {
        try {
            delegate.updateClob(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateNClob(int a0, Reader a1) throws SQLException {
        try {
            delegate.updateNClob(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateNClob(String a0, Reader a1) throws SQLException {
        try {
            delegate.updateNClob(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public <T> T getObject(int a0, Class<T> a1) throws SQLException {
        try {
            return cursorLeadingBack(delegate.getObject(a0, a1), a1, owner);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public <T> T getObject(String a0, Class<T> a1) throws SQLException {
        try {
            return cursorLeadingBack(delegate.getObject(a0, a1), a1, owner);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateObject(int a0, Object a1, SQLType a2, int a3) throws SQLException {
        try {
            delegate.updateObject(a0, a1, a2, a3);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateObject(String a0, Object a1, SQLType a2, int a3) throws SQLException {
        try {
            delegate.updateObject(a0, a1, a2, a3);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateObject(int a0, Object a1, SQLType a2) throws SQLException {
        try {
            delegate.updateObject(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void updateObject(String a0, Object a1, SQLType a2) throws SQLException {
        try {
            delegate.updateObject(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }
}
