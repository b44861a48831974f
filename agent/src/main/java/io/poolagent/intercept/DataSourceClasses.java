package io.poolagent.intercept;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which DataSource classes the agent pools: those known to open a new physical connection on every getConnection
 * without passing through a driver's connect (so the driver-level interception never sees them), plus the classes
 * named in pooled_datasources. DataSources that call DriverManager (pgjdbc's PGSimpleDataSource, Spring's
 * DriverManagerDataSource) need no entry: DriverManager is intercepted. Only these class names are ever
 * instrumented, when they load.
 */
final class DataSourceClasses {

    /** Known non-pooling DataSources that build their connections themselves. */
    static final List<String> KNOWN = List.of("org.h2.jdbcx.JdbcDataSource");

    private static volatile DataSourceClasses active;

    private final Set<String> names;
    /** Whether instances of a class are pooled: it, or a superclass, is named. */
    private final ClassValue<Boolean> pooled = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                if (names.contains(c.getName())) {
                    return true;
                }
            }
            return false;
        }
    };

    private DataSourceClasses(Set<String> names) {
        this.names = names;
    }

    /** The known classes and the configured ones; made once, when the agent starts. */
    static DataSourceClasses configure(List<String> configured) {
        Set<String> all = new LinkedHashSet<>(KNOWN);
        all.addAll(configured);
        DataSourceClasses classes = new DataSourceClasses(Set.copyOf(all));
        active = classes;
        return classes;
    }

    Set<String> names() {
        return names;
    }

    /** Whether a getConnection call on this instance is to be pooled (the advice is also inlined into superclasses). */
    static boolean pooled(javax.sql.DataSource dataSource) {
        DataSourceClasses classes = active;
        return classes != null && classes.pooled.get(dataSource.getClass());
    }
}
