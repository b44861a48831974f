package io.poolagent.intercept;

import net.bytebuddy.asm.Advice;

import java.sql.Connection;
import java.sql.PoolAgentBridge;

/** {@link DataSourceConnectAdvice} for {@code getConnection(user, password)}. */
final class DataSourceUserConnectAdvice {

    private DataSourceUserConnectAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Connection.class)
    static Object enter(@Advice.This javax.sql.DataSource dataSource, @Advice.Argument(0) String user,
                        @Advice.Argument(1) String password) throws java.sql.SQLException {
        PoolAgentBridge.Hook hook = PoolAgentBridge.hook;
        return hook == null ? null : hook.dataSourceConnect(dataSource, user, password, true);
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
