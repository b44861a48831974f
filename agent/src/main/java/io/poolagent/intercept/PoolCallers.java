package io.poolagent.intercept;

import java.util.Optional;

/**
 * Recognises an existing connection pool (HikariCP, DBCP2, ...) opening one of its physical connections, so that the
 * agent hands it a real connection rather than one of its own pooled handles: pooling a pool's connections again
 * would pin our connections inside theirs and hide theirs from the application's own unwrap.
 *
 * <p>The walk looks at up to {@link #MAX_FRAMES} frames, and only on paths that can come from a pool: a driver's
 * connect and an instrumented DataSource, which are slow anyway (they open a connection), and DriverManager calls
 * whose immediate caller is itself a DataSource or a pool class ({@link #mayActForPool}). A plain application class
 * calling DriverManager pays one {@link ClassValue} lookup.
 */
final class PoolCallers {

    /** Class-name prefixes of pools, and the name a timeout message gives each. */
    private static final String[][] POOLS = {
            {"com.zaxxer.hikari.", "HikariCP"},
            {"org.apache.tomcat.jdbc.pool.", "Tomcat JDBC pool"},
            {"org.apache.commons.dbcp2.", "DBCP2"},
            {"org.apache.commons.dbcp.", "DBCP"},
            {"org.apache.tomcat.dbcp.", "Tomcat DBCP"},
            {"com.mchange.v2.c3p0.", "c3p0"},
            {"com.mchange.v2.resourcepool.", "c3p0"},
            {"io.agroal.", "Agroal"},
            {"oracle.ucp.", "Oracle UCP"},
            {"org.vibur.", "Vibur DBCP"},
            {"com.alibaba.druid.", "Druid"},
            {"com.jolbox.bonecp.", "BoneCP"},
            {"org.logicalcobwebs.proxool.", "Proxool"},
            {"org.jboss.jca.", "IronJacamar"},
            {"com.ibm.ws.rsadapter.", "WebSphere"},
            {"weblogic.jdbc.", "WebLogic"},
            {"org.h2.jdbcx.JdbcConnectionPool", "H2 JdbcConnectionPool"},
    };

    /** Deep enough for a pool behind a DataSource behind DriverManager, with a tracing wrapper or two. */
    static final int MAX_FRAMES = 48;

    private static final StackWalker WALKER = StackWalker.getInstance();

    /** Whether a DriverManager caller might be acting for a pool: a pool class, or any DataSource. */
    private static final ClassValue<Boolean> MAY_ACT_FOR_POOL = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return poolNamed(type.getName()) != null || javax.sql.DataSource.class.isAssignableFrom(type)
                    || javax.sql.ConnectionPoolDataSource.class.isAssignableFrom(type)
                    || javax.sql.XADataSource.class.isAssignableFrom(type);
        }
    };

    private PoolCallers() {
    }

    /** For DriverManager's caller: whether walking the stack is worth it. */
    static boolean mayActForPool(Class<?> caller) {
        return MAY_ACT_FOR_POOL.get(caller);
    }

    /**
     * The pool on this thread's stack, e.g. {@code "HikariCP"}, or null. A frame of {@code getPooledConnection} or
     * {@code getXAConnection} counts too: whoever asks a DataSource for a PooledConnection is a pool (an application
     * server's, typically) that wants a real connection.
     */
    static String poolOnStack() {
        Optional<String> found = WALKER.walk(frames -> frames.limit(MAX_FRAMES)
                .map(f -> poolOf(f.getClassName(), f.getMethodName()))
                .filter(p -> p != null)
                .findFirst());
        return found.orElse(null);
    }

    static String poolOf(String className, String methodName) {
        String pool = poolNamed(className);
        if (pool != null) {
            return pool;
        }
        if (methodName.equals("getPooledConnection") || methodName.equals("getXAConnection")) {
            return className + "." + methodName;
        }
        return null;
    }

    static String poolNamed(String className) {
        for (String[] p : POOLS) {
            if (className.startsWith(p[0])) {
                return p[1];
            }
        }
        return null;
    }
}
