package io.poolagent.intercept;

import net.bytebuddy.asm.Advice;

import java.sql.Connection;
import java.sql.PoolAgentBridge;

/**
 * Inlined into {@code getConnection()} of the DataSource classes the agent pools (H2's JdbcDataSource, the classes
 * named in pooled_datasources): they open a physical connection without passing through a driver's connect. Same
 * contract as {@link DriverConnectAdvice}.
 */
final class DataSourceConnectAdvice {

    private DataSourceConnectAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Connection.class)
    static Object enter(@Advice.This javax.sql.DataSource dataSource) throws java.sql.SQLException {
        PoolAgentBridge.Hook hook = PoolAgentBridge.hook;
        return hook == null ? null : hook.dataSourceConnect(dataSource, null, null, false);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(@Advice.Enter Object entered, @Advice.Return(readOnly = false) Connection returned,
                     @Advice.Thrown Throwable thrown) {
        if (entered instanceof Connection) {
            returned = (Connection) entered;
        } else if (entered != null) {
            PoolAgentBridge.Hook hook = PoolAgentBridge.hook;
            if (hook != null) {
                hook.opened(entered, returned, thrown);
            }
        }
    }
}
