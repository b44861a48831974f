package io.poolagent.intercept;

import io.poolagent.config.AgentConfig;
import io.poolagent.config.ConfigException;
import io.poolagent.config.DatabaseUrl;
import io.poolagent.config.HostPort;
import io.poolagent.config.JdbcTarget;
import io.poolagent.log.AgentLog;
import io.poolagent.pool.DatabaseKey;
import io.poolagent.pool.PgjdbcStartup;
import io.poolagent.pool.PoolRegistry;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Prisma's directUrl for any JVM app: when DIRECT_URL is set, a connect made by a migration tool to DATABASE_URL's
 * server and database is opened to DIRECT_URL instead, unpooled, with DIRECT_URL's credentials. Migrations need a
 * session of their own (advisory locks, prepared statements, SET), which PgBouncer in transaction mode does not give.
 *
 * <p>A migration to another database is left alone: sending it to DIRECT_URL would migrate the wrong database.
 */
final class DirectRoute {

    private final MigrationCallers callers;
    /** DATABASE_URL's servers and database, as {@link #target(String)} writes them. */
    private final String pooledTarget;
    private final String directRedacted;
    private final PgjdbcStartup direct;
    /** DIRECT_URL names the application itself; otherwise the migration tool's own name is kept. */
    private final boolean namedByUrl;
    private final AtomicBoolean announced = new AtomicBoolean();
    private final AtomicBoolean warnedOther = new AtomicBoolean();

    private DirectRoute(MigrationCallers callers, String pooledTarget, DatabaseUrl directUrl, PgjdbcStartup direct) {
        this.callers = callers;
        this.pooledTarget = pooledTarget;
        this.directRedacted = directUrl.redacted();
        this.direct = direct;
        this.namedByUrl = directUrl.parameters().containsKey("application_name")
                || directUrl.parameters().containsKey("ApplicationName");
    }

    /** Null when DIRECT_URL is unset, or cannot be used (said in one line). */
    static DirectRoute create(AgentConfig config) {
        DatabaseUrl directUrl = config.directUrl();
        if (directUrl == null) {
            return null;
        }
        DatabaseUrl pooled = config.databaseUrl();
        if (pooled == null) {
            AgentLog.warn("DIRECT_URL is set but DATABASE_URL is not, so no connection is known to be the pooled"
                    + " database's; migrations are not sent to DIRECT_URL");
            return null;
        }
        JdbcTarget target;
        try {
            target = directUrl.toJdbc(config.settingsFor(directUrl.poolParameters()));
        } catch (ConfigException e) {
            AgentLog.error(e.withSource(AgentConfig.DIRECT_URL).getMessage() + "; migrations are not sent to DIRECT_URL");
            return null;
        }
        // never pgbouncer handling here: DIRECT_URL is the server itself
        PgjdbcStartup direct = PgjdbcStartup.of(target.url(), target.properties(), false);
        return new DirectRoute(new MigrationCallers(config.migrationCallers()), target(pooled), directUrl, direct);
    }

    /** For DriverManager's fast path: a migration tool's connect must go on to the driver, where it is routed. */
    boolean migrationOnStack() {
        return callers.find() != null;
    }

    /**
     * A connection to DIRECT_URL if a migration tool is connecting to DATABASE_URL's database, else null (the
     * connect is pooled as usual).
     */
    Connection connect(Driver driver, String url, Properties info, PoolRegistry.PhysicalConnector connector)
            throws SQLException {
        String caller = callers.find();
        if (caller == null) {
            return null;
        }
        if (!pooledTarget.equals(target(url))) {
            if (warnedOther.compareAndSet(false, true)) {
                AgentLog.warn("a migration tool (" + caller + ") connected to " + DatabaseKey.withoutOptions(url) + ", which is not"
                        + " DATABASE_URL's server and database, so it was not sent to DIRECT_URL");
            }
            return null;
        }
        if (!driver.acceptsURL(direct.url())) {
            return null;
        }
        Properties properties = copy(direct.properties());
        String toolsName = info == null ? null : info.getProperty("ApplicationName");
        if (!namedByUrl && toolsName != null) {
            properties.setProperty("ApplicationName", toolsName); // e.g. Flyway's Redgate_Flyway
        }
        Connection c = connector.connectPhysical(driver, direct.url(), properties);
        if (c != null) {
            String line = "a migration tool (" + caller + ") connected to DATABASE_URL's database: sent to DIRECT_URL "
                    + directRedacted + ", unpooled";
            if (announced.compareAndSet(false, true)) {
                AgentLog.notice(line);
            } else {
                AgentLog.debug(line);
            }
        }
        return c;
    }

    private static Properties copy(Properties p) {
        Properties copy = new Properties();
        copy.putAll(p);
        return copy;
    }

    private static String target(DatabaseUrl url) {
        StringBuilder sb = new StringBuilder();
        for (HostPort h : url.hosts()) {
            sb.append(sb.length() == 0 ? "" : ",").append(h.authority().toLowerCase(Locale.ROOT));
        }
        return sb.append('/').append(url.database()).toString();
    }

    /**
     * {@code host:port[,host:port]/database} of a pgjdbc URL, as pgjdbc reads it ({@link DatabaseKey}, without
     * the user's name as the default database), or null for any other URL.
     */
    static String target(String jdbcUrl) {
        return PgjdbcStartup.isPgjdbc(jdbcUrl) ? DatabaseKey.of(jdbcUrl, (String) null) : null;
    }
}
