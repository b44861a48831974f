package io.poolagent.pool;

import io.poolagent.config.PoolSettings;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.implementation.InvocationHandlerAdapter;
import net.bytebuddy.matcher.ElementMatchers;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The handle a borrower gets implements what the driver's connection implements, through a generated factory. */
class ConnectionHandlesTest {

    /** A driver-specific interface, like pgjdbc's PGConnection. */
    public interface DriverExtras {
        String backendName() throws SQLException;
    }

    @Test
    void aConnectionWithMoreInterfacesGetsAHandleThatImplementsThemAndStillRefusesAfterClose() throws SQLException {
        Connection physical = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Connection.class, DriverExtras.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "backendName" -> "backend-42";
                    case "getAutoCommit", "isValid" -> true;
                    case "isClosed" -> false;
                    default -> null;
                });
        ConnectionPool pool = new ConnectionPool("test", null, PoolSettings.defaults(), wait -> physical, "org.postgresql.");
        Connection handle = pool.borrow();

        DriverExtras extras = assertInstanceOf(DriverExtras.class, handle);
        assertEquals("backend-42", extras.backendName());
        assertEquals("backend-42", handle.unwrap(DriverExtras.class).backendName());

        handle.close();
        SQLException refused = assertThrows(SQLException.class, extras::backendName);
        assertEquals("08003", refused.getSQLState());

        // The next borrow of the same physical connection gets a new handle of the same generated class.
        Connection next = pool.borrow();
        assertSame(handle.getClass(), next.getClass());
        assertEquals("backend-42", ((DriverExtras) next).backendName());
        next.close();
    }

    @Test
    void aConnectionWithNothingMoreGetsAPlainHandle() throws SQLException {
        // A class that implements java.sql.Connection and nothing else (a JDK proxy would add Serializable).
        Class<?> plain = new ByteBuddy().subclass(Object.class).implement(Connection.class)
                .method(ElementMatchers.any()).intercept(InvocationHandlerAdapter.of(
                        (proxy, method, args) -> method.getName().equals("getAutoCommit") ? true : null))
                .make().load(getClass().getClassLoader(), ClassLoadingStrategy.Default.WRAPPER).getLoaded();
        Connection physical;
        try {
            physical = (Connection) plain.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        ConnectionPool pool = new ConnectionPool("test", null, PoolSettings.defaults(), wait -> physical, "org.postgresql.");
        Connection handle = pool.borrow();
        assertSame(PooledConnection.class, handle.getClass());
        handle.close();
    }
}
