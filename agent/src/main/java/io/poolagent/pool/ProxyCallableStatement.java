package io.poolagent.pool;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

/**
 * A {@link ProxyStatement} for callable statements. An OUT parameter that is a result set (a refcursor) is wrapped,
 * so that its statement, too, leads back to the logical connection.
 */
final class ProxyCallableStatement extends ProxyPreparedStatement implements CallableStatement {

    /** The same object as the superclasses' delegates, kept typed so that no call needs a cast. */
    private final CallableStatement delegate;

    ProxyCallableStatement(PooledConnection owner, CallableStatement delegate) {
        super(owner, delegate);
        this.delegate = delegate;
    }

    // Generated from javap java.sql.CallableStatement (JDK 17), in declaration order: plain delegation, every
    // SQLException passing through the owner so that a fatal one gets the physical connection evicted.

    @Override
    public void registerOutParameter(int a0, int a1) throws SQLException {
        try {
            delegate.registerOutParameter(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void registerOutParameter(int a0, int a1, int a2) throws SQLException {
        try {
            delegate.registerOutParameter(a0, a1, a2);
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
    public Object getObject(int a0) throws SQLException {
        try {
            return ProxyResultSet.cursorLeadingBack(delegate.getObject(a0), owner);
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
    public Object getObject(int a0, Map<String, Class<?>> a1) throws SQLException {
        try {
            return ProxyResultSet.cursorLeadingBack(delegate.getObject(a0, a1), owner);
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
    public Date getDate(int a0, Calendar a1) throws SQLException {
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
    public Timestamp getTimestamp(int a0, Calendar a1) throws SQLException {
        try {
            return delegate.getTimestamp(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void registerOutParameter(int a0, int a1, String a2) throws SQLException {
        try {
            delegate.registerOutParameter(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void registerOutParameter(String a0, int a1) throws SQLException {
        try {
            delegate.registerOutParameter(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void registerOutParameter(String a0, int a1, int a2) throws SQLException {
        try {
            delegate.registerOutParameter(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void registerOutParameter(String a0, int a1, String a2) throws SQLException {
        try {
            delegate.registerOutParameter(a0, a1, a2);
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
    public void setURL(String a0, URL a1) throws SQLException {
        try {
            delegate.setURL(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setNull(String a0, int a1) throws SQLException {
        try {
            delegate.setNull(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setBoolean(String a0, boolean a1) throws SQLException {
        try {
            delegate.setBoolean(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setByte(String a0, byte a1) throws SQLException {
        try {
            delegate.setByte(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setShort(String a0, short a1) throws SQLException {
        try {
            delegate.setShort(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setInt(String a0, int a1) throws SQLException {
        try {
            delegate.setInt(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setLong(String a0, long a1) throws SQLException {
        try {
            delegate.setLong(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setFloat(String a0, float a1) throws SQLException {
        try {
            delegate.setFloat(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setDouble(String a0, double a1) throws SQLException {
        try {
            delegate.setDouble(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setBigDecimal(String a0, BigDecimal a1) throws SQLException {
        try {
            delegate.setBigDecimal(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setString(String a0, String a1) throws SQLException {
        try {
            delegate.setString(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setBytes(String a0, byte[] a1) throws SQLException {
        try {
            delegate.setBytes(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setDate(String a0, Date a1) throws SQLException {
        try {
            delegate.setDate(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setTime(String a0, Time a1) throws SQLException {
        try {
            delegate.setTime(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setTimestamp(String a0, Timestamp a1) throws SQLException {
        try {
            delegate.setTimestamp(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setAsciiStream(String a0, InputStream a1, int a2) throws SQLException {
        try {
            delegate.setAsciiStream(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setBinaryStream(String a0, InputStream a1, int a2) throws SQLException {
        try {
            delegate.setBinaryStream(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setObject(String a0, Object a1, int a2, int a3) throws SQLException {
        try {
            delegate.setObject(a0, a1, a2, a3);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setObject(String a0, Object a1, int a2) throws SQLException {
        try {
            delegate.setObject(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setObject(String a0, Object a1) throws SQLException {
        try {
            delegate.setObject(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setCharacterStream(String a0, Reader a1, int a2) throws SQLException {
        try {
            delegate.setCharacterStream(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setDate(String a0, Date a1, Calendar a2) throws SQLException {
        try {
            delegate.setDate(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setTime(String a0, Time a1, Calendar a2) throws SQLException {
        try {
            delegate.setTime(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setTimestamp(String a0, Timestamp a1, Calendar a2) throws SQLException {
        try {
            delegate.setTimestamp(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setNull(String a0, int a1, String a2) throws SQLException {
        try {
            delegate.setNull(a0, a1, a2);
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
    public Object getObject(String a0) throws SQLException {
        try {
            return ProxyResultSet.cursorLeadingBack(delegate.getObject(a0), owner);
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
    public Object getObject(String a0, Map<String, Class<?>> a1) throws SQLException {
        try {
            return ProxyResultSet.cursorLeadingBack(delegate.getObject(a0, a1), owner);
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
    public Date getDate(String a0, Calendar a1) throws SQLException {
        try {
            return delegate.getDate(a0, a1);
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
    public Timestamp getTimestamp(String a0, Calendar a1) throws SQLException {
        try {
            return delegate.getTimestamp(a0, a1);
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
    public void setRowId(String a0, RowId a1) throws SQLException {
        try {
            delegate.setRowId(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setNString(String a0, String a1) throws SQLException {
        try {
            delegate.setNString(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setNCharacterStream(String a0, Reader a1, long a2) throws SQLException {
        try {
            delegate.setNCharacterStream(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setNClob(String a0, NClob a1) throws SQLException {
        try {
            delegate.setNClob(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setClob(String a0, Reader a1, long a2) throws SQLException {
        try {
            delegate.setClob(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setBlob(String a0, InputStream a1, long a2) throws SQLException {
        try {
            delegate.setBlob(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setNClob(String a0, Reader a1, long a2) throws SQLException {
        try {
            delegate.setNClob(a0, a1, a2);
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
    public void setSQLXML(String a0, SQLXML a1) throws SQLException {
        try {
            delegate.setSQLXML(a0, a1);
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
    public void setBlob(String a0, Blob a1) throws SQLException {
        try {
            delegate.setBlob(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setClob(String a0, Clob a1) throws SQLException {
        try {
            delegate.setClob(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setAsciiStream(String a0, InputStream a1, long a2) throws SQLException {
        try {
            delegate.setAsciiStream(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setBinaryStream(String a0, InputStream a1, long a2) throws SQLException {
        try {
            delegate.setBinaryStream(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setCharacterStream(String a0, Reader a1, long a2) throws SQLException {
        try {
            delegate.setCharacterStream(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setAsciiStream(String a0, InputStream a1) throws SQLException {
        try {
            delegate.setAsciiStream(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setBinaryStream(String a0, InputStream a1) throws SQLException {
        try {
            delegate.setBinaryStream(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setCharacterStream(String a0, Reader a1) throws SQLException {
        try {
            delegate.setCharacterStream(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setNCharacterStream(String a0, Reader a1) throws SQLException {
        try {
            delegate.setNCharacterStream(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setClob(String a0, Reader a1) throws SQLException {
        try {
            delegate.setClob(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setBlob(String a0, InputStream a1) throws SQLException {
        try {
            delegate.setBlob(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setNClob(String a0, Reader a1) throws SQLException {
        try {
            delegate.setNClob(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public <T> T getObject(int a0, Class<T> a1) throws SQLException {
        try {
            return ProxyResultSet.cursorLeadingBack(delegate.getObject(a0, a1), a1, owner);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public <T> T getObject(String a0, Class<T> a1) throws SQLException {
        try {
            return ProxyResultSet.cursorLeadingBack(delegate.getObject(a0, a1), a1, owner);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setObject(String a0, Object a1, SQLType a2, int a3) throws SQLException {
        try {
            delegate.setObject(a0, a1, a2, a3);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void setObject(String a0, Object a1, SQLType a2) throws SQLException {
        try {
            delegate.setObject(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void registerOutParameter(int a0, SQLType a1) throws SQLException {
        try {
            delegate.registerOutParameter(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void registerOutParameter(int a0, SQLType a1, int a2) throws SQLException {
        try {
            delegate.registerOutParameter(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void registerOutParameter(int a0, SQLType a1, String a2) throws SQLException {
        try {
            delegate.registerOutParameter(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void registerOutParameter(String a0, SQLType a1) throws SQLException {
        try {
            delegate.registerOutParameter(a0, a1);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void registerOutParameter(String a0, SQLType a1, int a2) throws SQLException {
        try {
            delegate.registerOutParameter(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }

    @Override
    public void registerOutParameter(String a0, SQLType a1, String a2) throws SQLException {
        try {
            delegate.registerOutParameter(a0, a1, a2);
        } catch (SQLException e) {
            throw owner.checkException(e);
        }
    }
}
