package io.poolagent.pool;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * Pools for DataSources that open a new physical connection on every getConnection (H2's JdbcDataSource, and the
 * classes named in pooled_datasources). Two instances configured alike share a pool: the key is the class, the
 * credentials passed to getConnection, and the DataSource's configuration, read through its public properties
 * (getters with a matching setter) of simple values (strings, numbers, booleans, enums and arrays of them: the
 * URL, user, password, timeouts, ...).
 * A DataSource reconfigured after its first use therefore gets the pool that fits its new configuration.
 */
final class DataSourcePools {

    private static final MethodType GETTER = MethodType.methodType(Object.class, Object.class);

    /** The configuration getters of a DataSource class, in a stable order, and which of them give URL and user. */
    private static final class Getters {
        final String[] names;
        final MethodHandle[] handles;
        final int url;
        final int user;

        Getters(List<String> names, List<MethodHandle> handles) {
            this.names = names.toArray(new String[0]);
            this.handles = handles.toArray(new MethodHandle[0]);
            this.url = indexOf(this.names, "getURL", "getUrl", "getJdbcUrl");
            this.user = indexOf(this.names, "getUser", "getUserName", "getUsername");
        }

        private static int indexOf(String[] names, String... wanted) {
            for (String w : wanted) {
                int i = Arrays.asList(names).indexOf(w);
                if (i >= 0) {
                    return i;
                }
            }
            return -1;
        }
    }

    private static final ClassValue<Getters> GETTERS = new ClassValue<>() {
        @Override
        protected Getters computeValue(Class<?> type) {
            Method[] methods = type.getMethods();
            Arrays.sort(methods, (a, b) -> a.getName().compareTo(b.getName()));
            List<String> names = new ArrayList<>();
            List<MethodHandle> handles = new ArrayList<>();
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            for (Method m : methods) {
                String n = m.getName();
                if (Modifier.isStatic(m.getModifiers()) || m.getParameterCount() != 0 || !simple(m.getReturnType())
                        || !(n.startsWith("get") || n.startsWith("is")) || !hasSetter(type, m)) {
                    continue;
                }
                try {
                    handles.add(lookup.unreflect(m).asType(GETTER));
                    names.add(n);
                } catch (IllegalAccessException e) {
                    // not accessible from outside (a public method of a non-exported class): not part of the key
                }
            }
            return new Getters(names, handles);
        }
    };

    /** Configuration is what can be set: a getter without a setter (an instance id, say) is not part of the key. */
    private static boolean hasSetter(Class<?> type, Method getter) {
        String property = getter.getName().substring(getter.getName().startsWith("is") ? 2 : 3);
        try {
            type.getMethod("set" + property, getter.getReturnType());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static boolean simple(Class<?> t) {
        Class<?> c = t.isArray() ? t.getComponentType() : t;
        return c.isPrimitive() && c != void.class || c == String.class || Number.class.isAssignableFrom(c)
                || c == Boolean.class || c == Character.class || c.isEnum();
    }

    /** One configuration seen, and its pool (null: it could not be pooled; the call runs as without the agent). */
    private static final class Target {
        final Object[] values;
        final boolean withCredentials;
        final String user;
        final String password;
        final ConnectionPool pool;

        Target(Object[] values, boolean withCredentials, String user, String password, ConnectionPool pool) {
            this.values = values;
            this.withCredentials = withCredentials;
            this.user = user;
            this.password = password;
            this.pool = pool;
        }

        boolean matches(DataSource ds, Getters g, boolean withCredentials, String user, String password) {
            if (this.withCredentials != withCredentials || !Objects.equals(this.user, user)
                    || !Objects.equals(this.password, password)) {
                return false;
            }
            for (int i = 0; i < values.length; i++) {
                if (!Objects.deepEquals(values[i], read(g.handles[i], ds))) {
                    return false;
                }
            }
            return true;
        }
    }

    private final PoolRegistry registry;
    private final ConcurrentHashMap<Class<?>, Target[]> byClass = new ConcurrentHashMap<>();
    private final ReentrantLock creating = new ReentrantLock();

    DataSourcePools(PoolRegistry registry) {
        this.registry = registry;
    }

    ConnectionPool poolFor(DataSource ds, String user, String password, boolean withCredentials,
                           PoolRegistry.PhysicalConnector connector) {
        Class<?> type = ds.getClass();
        Getters g = GETTERS.get(type);
        Target[] targets = byClass.get(type);
        if (targets != null) {
            for (Target t : targets) {
                if (t.matches(ds, g, withCredentials, user, password)) {
                    return t.pool;
                }
            }
        }
        Object[] values = new Object[g.handles.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = read(g.handles[i], ds);
        }
        creating.lock();
        try {
            targets = byClass.get(type);
            if (targets != null) {
                for (Target t : targets) {
                    if (t.matches(ds, g, withCredentials, user, password)) {
                        return t.pool;
                    }
                }
            }
            String url = g.url < 0 ? null : (String) stringOrNull(values[g.url]);
            String configuredUser = g.user < 0 ? null : (String) stringOrNull(values[g.user]);
            ConnectionPool pool = registry.newDataSourcePool(ds, user, password, withCredentials, url,
                    configuredUser, connector);
            Target target = new Target(values, withCredentials, user, password, pool);
            Target[] grown = targets == null ? new Target[1] : Arrays.copyOf(targets, targets.length + 1);
            grown[grown.length - 1] = target;
            byClass.put(type, grown);
            return pool;
        } finally {
            creating.unlock();
        }
    }

    /** The database a DataSource connects to, as {@link DatabaseKey} names it; the class name if it has no URL. */
    String key(DataSource ds, String user) {
        Getters g = GETTERS.get(ds.getClass());
        Object url = g.url < 0 ? null : stringOrNull(read(g.handles[g.url], ds));
        if (url == null) {
            return ds.getClass().getName();
        }
        if (user == null && g.user >= 0) {
            user = (String) stringOrNull(read(g.handles[g.user], ds));
        }
        return DatabaseKey.of((String) url, user);
    }

    private static Object stringOrNull(Object o) {
        return o instanceof String ? o : null;
    }

    /** A getter's value; a getter that throws counts as the exception's class (a stable, comparable value). */
    private static Object read(MethodHandle getter, DataSource ds) {
        try {
            return getter.invokeExact((Object) ds);
        } catch (Throwable t) {
            return t.getClass();
        }
    }
}
