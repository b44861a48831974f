package io.poolagent.config;

import java.util.Map;
import java.util.Properties;

/**
 * What pgjdbc needs to open a connection described by a libpq/Prisma URL: a URL without credentials or query, and
 * the properties (including {@code user} and {@code password}). Credentials travel as properties because pgjdbc
 * does not understand {@code user:pass@} in a URL (pgbouncer-prisma.md §0.1).
 *
 * @param url        e.g. {@code jdbc:postgresql://h1:5432,[::1]:5433/db}
 * @param properties a fresh object per {@link DatabaseUrl#toJdbc()} call, which the caller may modify; holds the
 *                   password, so never log it: {@link #toString()} masks secrets
 */
public record JdbcTarget(String url, Properties properties) {

    /** Masks {@code password} and {@code sslpassword}, so that logging a target cannot leak a secret. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("JdbcTarget[url=").append(url).append(", properties={");
        boolean first = true;
        for (Map.Entry<Object, Object> e : properties.entrySet()) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            String key = String.valueOf(e.getKey());
            sb.append(key).append('=').append(Redaction.isSecretKey(key) ? "***" : String.valueOf(e.getValue()));
        }
        return sb.append("}]").toString();
    }
}
