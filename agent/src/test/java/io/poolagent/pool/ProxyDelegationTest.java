package io.poolagent.pool;

import io.poolagent.config.PoolSettings;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URL;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.RowIdLifetime;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Delegation mechanics of the statement, result set and metadata proxies, checked by reflection over every method
 * of each java.sql interface against recording stubs (no database: what a driver does is not the point here).
 */
class ProxyDelegationTest {

    /** An owner whose hooks are observable: what checkException returns must be what the proxies throw. */
    static final class TestOwner extends PooledConnection {
        final List<SQLException> checked = new ArrayList<>();
        final List<Statement> untracked = new ArrayList<>();

        TestOwner(ConnectionPool pool, PoolEntry entry) {
            super(pool, entry);
        }

        @Override
        SQLException checkException(SQLException e) {
            checked.add(e);
            return new SQLException("checked by owner", "TEST0", super.checkException(e));
        }

        @Override
        void untrackStatement(Statement statement) {
            untracked.add(statement);
            super.untrackStatement(statement);
        }
    }

    /** A java.sql stub: records each call and answers with a fresh value made for the return type. */
    static final class Stub implements InvocationHandler {
        final String label;
        final int seed;
        final List<Method> methods = new ArrayList<>();
        final List<Object[]> arguments = new ArrayList<>();
        final Map<String, Object> answers = new HashMap<>();
        Object lastAnswer;
        SQLException failure;

        Stub(String label, int seed) {
            this.label = label;
            this.seed = seed;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                switch (method.getName()) {
                    case "equals":
                        return proxy == args[0];
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    default:
                        return label;
                }
            }
            methods.add(method);
            arguments.add(args == null ? new Object[0] : args);
            if (failure != null) {
                throw failure;
            }
            lastAnswer = answers.containsKey(method.getName()) ? answers.get(method.getName())
                    : sample(method.getReturnType(), seed);
            return lastAnswer;
        }

        int count(String name) {
            return (int) methods.stream().filter(m -> m.getName().equals(name)).count();
        }
    }

    static <T> T stub(Class<T> type, Stub handler) {
        return type.cast(Proxy.newProxyInstance(ProxyDelegationTest.class.getClassLoader(), new Class<?>[] {type},
                handler));
    }

    static Stub handlerOf(Object stub) {
        return (Stub) Proxy.getInvocationHandler(stub);
    }

    /** A fresh, recognisable value of a type: primitives vary with the seed, objects are new instances. */
    static Object sample(Class<?> type, int seed) {
        if (type == void.class) {
            return null;
        }
        if (type == boolean.class) {
            return seed % 2 == 1;
        }
        if (type == byte.class) {
            return (byte) (10 + seed);
        }
        if (type == short.class) {
            return (short) (200 + seed);
        }
        if (type == int.class) {
            return 3000 + seed;
        }
        if (type == long.class) {
            return 40_000_000_000L + seed;
        }
        if (type == float.class) {
            return 5.5f + seed;
        }
        if (type == double.class) {
            return 6.25 + seed;
        }
        if (type == String.class) {
            return new String("s" + seed);
        }
        if (type == Class.class) {
            return Runnable.class; // an interface no proxy implements, so unwrap/isWrapperFor must ask the delegate
        }
        if (type == Object.class) {
            return new Object();
        }
        if (type == byte[].class) {
            return new byte[] {(byte) seed};
        }
        if (type == int[].class) {
            return new int[] {seed};
        }
        if (type == long[].class) {
            return new long[] {seed};
        }
        if (type == String[].class) {
            return new String[] {"c" + seed};
        }
        if (type == Object[].class) {
            return new Object[] {seed};
        }
        if (type == BigDecimal.class) {
            return new BigDecimal(seed + ".5");
        }
        if (type == java.sql.Date.class) {
            return new java.sql.Date(seed);
        }
        if (type == Time.class) {
            return new Time(seed);
        }
        if (type == Timestamp.class) {
            return new Timestamp(seed);
        }
        if (type == URL.class) {
            try {
                return URI.create("http://example.invalid/" + seed).toURL();
            } catch (java.net.MalformedURLException e) {
                throw new AssertionError(e);
            }
        }
        if (type == Reader.class) {
            return new StringReader("r" + seed);
        }
        if (type == InputStream.class) {
            return new ByteArrayInputStream(new byte[] {(byte) seed});
        }
        if (type == Calendar.class) {
            return new GregorianCalendar();
        }
        if (type == Map.class) {
            return new HashMap<>();
        }
        if (type == SQLWarning.class) {
            return new SQLWarning("w" + seed);
        }
        if (type == RowIdLifetime.class) {
            return RowIdLifetime.ROWID_VALID_SESSION;
        }
        if (type.isInterface()) {
            return stub(type, new Stub(type.getSimpleName() + " stub " + seed, seed));
        }
        throw new AssertionError("no sample for " + type);
    }

    static TestOwner owner() {
        Connection physical = stub(Connection.class, new Stub("physical connection", 0));
        ConnectionPool pool = new ConnectionPool("test", null, new PoolSettings(1, 1_000_000_000L, 1), wait -> physical, null);
        return new TestOwner(pool, new PoolEntry(physical, true, System.nanoTime()));
    }

    /** What a proxy answers from a method, when it does not answer the delegate's result unchanged. */
    enum Rule { DELEGATE, HANDLE, STATEMENT_PROXY, WRAPPED_RESULT_SET }

    static Rule rule(Class<?> iface, Method m) {
        if (m.getName().equals("getConnection") && m.getParameterCount() == 0) {
            return Rule.HANDLE;
        }
        if (iface == ResultSet.class && m.getName().equals("getStatement")) {
            return Rule.STATEMENT_PROXY;
        }
        if (m.getReturnType() == ResultSet.class) {
            return Rule.WRAPPED_RESULT_SET;
        }
        return Rule.DELEGATE;
    }

    /** One proxy over a fresh delegate stub; statementProxy is what a ProxyResultSet was made with. */
    record Subject(Object proxy, Stub delegate, Statement statementProxy) {
    }

    @TestFactory
    Stream<DynamicTest> statement() {
        return everyMethod(Statement.class, ProxyStatement.class, (owner, seed) -> {
            Stub d = new Stub("driver statement", seed);
            return new Subject(new ProxyStatement(owner, stub(Statement.class, d)), d, null);
        });
    }

    @TestFactory
    Stream<DynamicTest> preparedStatement() {
        return everyMethod(PreparedStatement.class, ProxyPreparedStatement.class, (owner, seed) -> {
            Stub d = new Stub("driver prepared statement", seed);
            return new Subject(new ProxyPreparedStatement(owner, stub(PreparedStatement.class, d)), d, null);
        });
    }

    @TestFactory
    Stream<DynamicTest> callableStatement() {
        return everyMethod(CallableStatement.class, ProxyCallableStatement.class, (owner, seed) -> {
            Stub d = new Stub("driver callable statement", seed);
            return new Subject(new ProxyCallableStatement(owner, stub(CallableStatement.class, d)), d, null);
        });
    }

    @TestFactory
    Stream<DynamicTest> resultSet() {
        return everyMethod(ResultSet.class, ProxyResultSet.class, (owner, seed) -> {
            Statement statementProxy = new ProxyStatement(owner, stub(Statement.class, new Stub("other", seed)));
            Stub d = new Stub("driver result set", seed);
            return new Subject(new ProxyResultSet(statementProxy, stub(ResultSet.class, d), owner), d,
                    statementProxy);
        });
    }

    @TestFactory
    Stream<DynamicTest> databaseMetaData() {
        return everyMethod(DatabaseMetaData.class, ProxyDatabaseMetaData.class, (owner, seed) -> {
            Stub d = new Stub("driver metadata", seed);
            return new Subject(new ProxyDatabaseMetaData(owner, stub(DatabaseMetaData.class, d)), d, null);
        });
    }

    private Stream<DynamicTest> everyMethod(Class<?> iface, Class<?> proxyClass,
            BiFunction<TestOwner, Integer, Subject> subjects) {
        List<Method> methods = Arrays.stream(iface.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .collect(Collectors.toList());
        assertTrue(methods.size() > 50, iface + " has " + methods.size() + " methods");
        return methods.stream().map(m -> DynamicTest.dynamicTest(describe(m), () -> {
            // the proxy class itself implements it: an inherited interface default would bypass the delegate
            Method implementation = proxyClass.getMethod(m.getName(), m.getParameterTypes());
            assertFalse(implementation.getDeclaringClass().isInterface(), "not implemented: " + describe(m));
            for (int seed = 1; seed <= 2; seed++) { // two runs, so each boolean result is seen both ways
                returns(iface, m, subjects.apply(owner(), seed), seed);
            }
            if (Arrays.asList(m.getExceptionTypes()).contains(SQLException.class)) {
                throws_(iface, m, subjects);
            }
        }));
    }

    private static String describe(Method m) {
        return m.getDeclaringClass().getSimpleName() + "." + m.getName() + Arrays.stream(m.getParameterTypes())
                .map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
    }

    private static Object[] arguments(Method m, int seed) {
        Class<?>[] types = m.getParameterTypes();
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            args[i] = sample(types[i], seed * 10 + i);
        }
        return args;
    }

    /** The call reaches the delegate's same method with the same arguments, and its result comes back. */
    private static void returns(Class<?> iface, Method m, Subject s, int seed) throws Exception {
        TestOwner owner = ownerOf(s);
        Object[] args = arguments(m, seed);
        Object result = m.invoke(s.proxy(), args);
        Rule rule = rule(iface, m);
        if (rule == Rule.HANDLE) {
            assertSame(owner.handle(), result, "getConnection() must answer the logical connection");
            assertTrue(s.delegate().methods.isEmpty(), "asked the driver: " + s.delegate().methods);
            return;
        }
        if (rule == Rule.STATEMENT_PROXY) {
            assertSame(s.statementProxy(), result);
            assertTrue(s.delegate().methods.isEmpty(), "asked the driver: " + s.delegate().methods);
            return;
        }
        assertEquals(1, s.delegate().methods.size(), "driver calls: " + s.delegate().methods);
        Method reached = s.delegate().methods.get(0);
        assertEquals(m.getName(), reached.getName());
        assertEquals(Arrays.asList(m.getParameterTypes()), Arrays.asList(reached.getParameterTypes()));
        Object[] passed = s.delegate().arguments.get(0);
        assertEquals(args.length, passed.length);
        for (int i = 0; i < args.length; i++) {
            if (m.getParameterTypes()[i].isPrimitive()) {
                assertEquals(args[i], passed[i], "argument " + i);
            } else {
                assertSame(args[i], passed[i], "argument " + i);
            }
        }
        Object answer = s.delegate().lastAnswer;
        if (rule == Rule.WRAPPED_RESULT_SET) {
            ResultSet rs = assertInstanceOf(ProxyResultSet.class, result);
            rs.getRow();
            assertEquals(1, handlerOf(answer).count("getRow"), "the proxy must wrap the driver's result set");
            Statement statement = rs.getStatement();
            if (s.proxy() instanceof Statement) {
                assertSame(s.proxy(), statement, "a result set must lead back to its statement proxy");
            } else {
                assertInstanceOf(ProxyStatement.class, statement); // metadata: the driver's statement, wrapped
                assertSame(owner, statement.getConnection());
            }
        } else if (m.getReturnType().isPrimitive()) {
            assertEquals(answer, result);
        } else {
            assertSame(answer, result);
        }
        if (m.getName().equals("close") && s.proxy() instanceof Statement) {
            assertEquals(List.of(s.proxy()), owner.untracked, "a closed statement proxy must be untracked");
        } else {
            assertTrue(owner.untracked.isEmpty(), "untracked by " + describe(m));
        }
    }

    /** A driver SQLException reaches the caller as what owner.checkException made of it. */
    private static void throws_(Class<?> iface, Method m, BiFunction<TestOwner, Integer, Subject> subjects)
            throws Exception {
        Rule rule = rule(iface, m);
        if (rule == Rule.HANDLE || rule == Rule.STATEMENT_PROXY) {
            return; // never reaches the driver
        }
        Subject s = subjects.apply(owner(), 3);
        TestOwner owner = ownerOf(s);
        SQLException driverError = new SQLException("driver failure in " + m.getName(), "08006");
        s.delegate().failure = driverError;
        InvocationTargetException thrown = assertThrows(InvocationTargetException.class,
                () -> m.invoke(s.proxy(), arguments(m, 3)));
        SQLException e = assertInstanceOf(SQLException.class, thrown.getCause());
        assertEquals("checked by owner", e.getMessage());
        assertSame(driverError, e.getCause());
        assertEquals(List.of(driverError), owner.checked);
        assertEquals(1, s.delegate().methods.size());
        assertEquals(m.getName(), s.delegate().methods.get(0).getName());
        assertTrue(owner.untracked.isEmpty(), "a statement whose close failed must stay tracked");
    }

    private static TestOwner ownerOf(Subject s) throws SQLException {
        Object p = s.proxy();
        if (p instanceof ResultSet) {
            return (TestOwner) s.statementProxy().getConnection();
        }
        return (TestOwner) (p instanceof Statement ? ((Statement) p).getConnection()
                : ((DatabaseMetaData) p).getConnection());
    }

    // ---------------------------------------------------------------- the documented exceptions, one by one

    @Test
    void getConnectionIsTheHandleNeverThePhysicalConnection() throws SQLException {
        TestOwner owner = owner();
        Stub d = new Stub("driver", 1);
        Statement physicalStatement = stub(CallableStatement.class, d);
        for (Statement s : List.of(new ProxyStatement(owner, physicalStatement),
                new ProxyPreparedStatement(owner, (PreparedStatement) physicalStatement),
                new ProxyCallableStatement(owner, (CallableStatement) physicalStatement))) {
            assertSame(owner.handle(), s.getConnection());
            s.close();
            assertSame(owner.handle(), s.getConnection(), "even once closed");
        }
        Stub md = new Stub("metadata", 1);
        assertSame(owner.handle(), new ProxyDatabaseMetaData(owner, stub(DatabaseMetaData.class, md)).getConnection());
        assertEquals(0, d.count("getConnection"));
        assertEquals(0, md.count("getConnection"));
    }

    @Test
    void resultSetsOfStatementsLeadBackToTheStatementProxy() throws SQLException {
        TestOwner owner = owner();
        ProxyPreparedStatement ps = new ProxyPreparedStatement(owner, stub(PreparedStatement.class, new Stub("ps", 1)));
        assertSame(ps, ps.executeQuery().getStatement());
        assertSame(ps, ps.executeQuery("select 1").getStatement());
        assertSame(ps, ps.getResultSet().getStatement());
        assertSame(ps, ps.getGeneratedKeys().getStatement());
        assertSame(owner, ps.executeQuery().getStatement().getConnection());
    }

    @Test
    void aNullResultSetStaysNull() throws SQLException {
        TestOwner owner = owner();
        Stub d = new Stub("statement", 1);
        d.answers.put("getResultSet", null);
        assertNull(new ProxyStatement(owner, stub(Statement.class, d)).getResultSet());
        Stub md = new Stub("metadata", 1);
        md.answers.put("getTables", null);
        assertNull(new ProxyDatabaseMetaData(owner, stub(DatabaseMetaData.class, md)).getTables(null, null, "%", null));
    }

    /** A refcursor OUT parameter is a result set: wrapped, so that it leads back; other values pass as they are. */
    @Test
    void callableGetObjectWrapsOnlyResultSets() throws SQLException {
        TestOwner owner = owner();
        Stub d = new Stub("call", 1);
        ResultSet cursor = stub(ResultSet.class, new Stub("refcursor", 1));
        d.answers.put("getObject", cursor);
        CallableStatement call = new ProxyCallableStatement(owner, stub(CallableStatement.class, d));
        assertInstanceOf(ProxyResultSet.class, call.getObject(1));
        assertInstanceOf(ProxyResultSet.class, call.getObject(1, ResultSet.class));
        // a caller asking for the driver's own class gets the driver's object, which the proxy is not
        assertSame(cursor, call.getObject(1, cursor.getClass()));
        d.answers.put("getObject", "text");
        assertEquals("text", call.getObject(1));
    }

    /** pgjdbc runs metadata queries on statements of its own, whose getConnection() is the physical connection. */
    @Test
    void metadataResultSetsWrapTheDriversStatementOnce() throws SQLException {
        TestOwner owner = owner();
        Stub driverStatement = new Stub("metadata statement", 1);
        driverStatement.answers.put("getConnection", stub(Connection.class, new Stub("physical", 1)));
        PreparedStatement physicalStatement = stub(PreparedStatement.class, driverStatement);
        Stub driverRs = new Stub("tables", 1);
        driverRs.answers.put("getStatement", physicalStatement);
        Stub md = new Stub("metadata", 1);
        md.answers.put("getTables", stub(ResultSet.class, driverRs));

        ResultSet tables = new ProxyDatabaseMetaData(owner, stub(DatabaseMetaData.class, md))
                .getTables(null, null, "%", null);
        Statement statement = tables.getStatement();
        ProxyPreparedStatement proxy = assertInstanceOf(ProxyPreparedStatement.class, statement,
                "the proxy keeps the driver statement's kind, so casts keep working");
        assertSame(physicalStatement, proxy.delegate());
        assertSame(owner.handle(), statement.getConnection());
        assertSame(statement, tables.getStatement(), "made once");
        assertEquals(1, driverRs.count("getStatement"));
        assertEquals(0, driverStatement.count("getConnection"));
    }

    /**
     * The driver's own statement under a metadata (or refcursor) result set is closed with the handle, and cannot be
     * reached through the result set once the handle is closed: the physical connection may serve someone else.
     */
    @Test
    void driverStatementsReachedThroughResultSetsCloseWithTheHandle() throws SQLException {
        TestOwner owner = owner();
        Stub driverStatement = new Stub("metadata statement", 1);
        Stub driverRs = new Stub("tables", 1);
        driverRs.answers.put("getStatement", stub(Statement.class, driverStatement));
        Stub md = new Stub("metadata", 1);
        md.answers.put("getTables", stub(ResultSet.class, driverRs));
        Stub laterRs = new Stub("columns", 1);
        laterRs.answers.put("getStatement", stub(Statement.class, new Stub("another statement", 1)));
        md.answers.put("getColumns", stub(ResultSet.class, laterRs));
        ProxyDatabaseMetaData metadata = new ProxyDatabaseMetaData(owner, stub(DatabaseMetaData.class, md));

        metadata.getTables(null, null, "%", null).getStatement();
        ResultSet columns = metadata.getColumns(null, null, "%", "%");
        owner.close();
        assertEquals(1, driverStatement.count("close"), "closed with the handle");
        SQLException e = assertThrows(SQLException.class, columns::getStatement);
        assertEquals("08003", e.getSQLState());
    }

    /** A RowSet read from a column is disconnected, and callers cast it to its own type: it is not wrapped. */
    @Test
    void rowSetsAreNotWrapped() throws SQLException {
        Stub d = new Stub("rs", 1);
        javax.sql.RowSet rowSet = stub(javax.sql.RowSet.class, new Stub("row set", 1));
        d.answers.put("getObject", rowSet);
        ResultSet rs = new ProxyResultSet(null, stub(ResultSet.class, d), owner());
        assertSame(rowSet, rs.getObject(1));
        assertSame(rowSet, rs.getObject(1, ResultSet.class));
    }

    @Test
    void resultSetsWithoutStatementAnswerNull() throws SQLException {
        Stub driverRs = new Stub("rs", 1);
        driverRs.answers.put("getStatement", null);
        assertNull(new ProxyResultSet(null, stub(ResultSet.class, driverRs), owner()).getStatement());
    }

    @Test
    void lazyGetStatementFailuresPassThroughTheOwner() {
        TestOwner owner = owner();
        Stub driverRs = new Stub("rs", 1);
        driverRs.failure = new SQLException("closed", "08003");
        ProxyResultSet rs = new ProxyResultSet(null, stub(ResultSet.class, driverRs), owner);
        SQLException e = assertThrows(SQLException.class, rs::getStatement);
        assertSame(driverRs.failure, e.getCause());
        assertEquals(List.of(driverRs.failure), owner.checked);
    }

    @Test
    void closeUntracksAfterTheDriverClosedAndTwiceIsHarmless() throws SQLException {
        TestOwner owner = owner();
        Stub d = new Stub("statement", 1);
        Statement physical = stub(Statement.class, d);
        ProxyStatement s = new ProxyStatement(owner, physical);
        assertSame(physical, s.delegate());
        s.close();
        s.close();
        assertEquals(2, d.count("close"));
        assertEquals(List.of(s, s), owner.untracked);
        s.isClosed();
        assertEquals(1, d.count("isClosed"), "isClosed() is the driver's answer");
    }

    @Test
    void unwrapAnswersTheProxyForJdbcInterfacesAndTheDriverObjectOtherwise() throws SQLException {
        TestOwner owner = owner();
        Stub d = new Stub("ps", 1);
        ProxyPreparedStatement ps = new ProxyPreparedStatement(owner, stub(PreparedStatement.class, d));
        assertSame(ps, ps.unwrap(Statement.class));
        assertSame(ps, ps.unwrap(PreparedStatement.class));
        assertTrue(ps.isWrapperFor(PreparedStatement.class));
        assertTrue(d.methods.isEmpty());
        Object driverSpecific = new Object();
        d.answers.put("unwrap", driverSpecific);
        assertSame(driverSpecific, ps.unwrap(Runnable.class)); // stands for org.postgresql.PGStatement
        assertEquals(1, d.count("unwrap"));

        ProxyResultSet rs = new ProxyResultSet(ps, stub(ResultSet.class, new Stub("rs", 1)), owner);
        assertSame(rs, rs.unwrap(ResultSet.class));
        ProxyDatabaseMetaData md = new ProxyDatabaseMetaData(owner, stub(DatabaseMetaData.class, new Stub("m", 1)));
        assertSame(md, md.unwrap(DatabaseMetaData.class));
    }

    @Test
    void toStringIsTheDriversObject() {
        TestOwner owner = owner();
        assertEquals("driver ps", new ProxyPreparedStatement(owner,
                stub(PreparedStatement.class, new Stub("driver ps", 1))).toString());
        assertEquals("driver rs", new ProxyResultSet(null, stub(ResultSet.class, new Stub("driver rs", 1)), owner)
                .toString());
        assertEquals("driver md", new ProxyDatabaseMetaData(owner,
                stub(DatabaseMetaData.class, new Stub("driver md", 1))).toString());
    }

    @Test
    void noSynchronizationAndFinalFieldsButTheLazyStatement() {
        for (Class<?> c : List.of(ProxyStatement.class, ProxyPreparedStatement.class, ProxyCallableStatement.class,
                ProxyResultSet.class, ProxyDatabaseMetaData.class)) {
            for (Method m : c.getDeclaredMethods()) {
                assertFalse(Modifier.isSynchronized(m.getModifiers()), m.toString());
            }
            for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                if (!(c == ProxyResultSet.class && f.getName().equals("statementProxy"))) {
                    assertTrue(Modifier.isFinal(f.getModifiers()), f.toString());
                }
            }
        }
    }
}
