package io.poolagent.config;

/**
 * Matches the target of a scoped setting ({@code connection_limit@analytics}) against a pool name
 * ({@code user@host:port/database}, as the registry names pools).
 */
final class PoolTarget {

    private PoolTarget() {
    }

    /**
     * How specifically {@code target} names the pool: 0 not at all, 1 by database, 2 by user and database, 3 by
     * {@code host:port/database}, 4 by the whole name with its user.
     */
    static int rank(String target, String poolName) {
        if (poolName == null || target.isEmpty()) {
            return 0;
        }
        int userEnd = poolName.indexOf('@');
        int slash = poolName.indexOf('/', userEnd + 1);
        String user = userEnd < 0 ? null : poolName.substring(0, userEnd);
        String address = poolName.substring(userEnd + 1); // host:port/database
        String database = slash < 0 ? null : poolName.substring(slash + 1);
        if (target.indexOf('/') >= 0) {
            if (target.equals(poolName) && user != null) {
                return 4;
            }
            return target.equals(address) ? 3 : 0;
        }
        int at = target.indexOf('@');
        if (at >= 0) {
            return user != null && target.substring(0, at).equals(user) && target.substring(at + 1).equals(database)
                    ? 2 : 0;
        }
        return target.equals(database) ? 1 : 0;
    }
}
