package io.poolagent.intercept;

import net.bytebuddy.asm.Advice;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.PoolAgentBridge;
import java.util.Properties;

/**
 * Inlined into each registered driver's {@code connect(String, Properties)}. When the agent hands back a pooled
 * connection the driver's own body is skipped; when it returns null the driver runs exactly as without the agent;
 * when it returns a token (an existing pool such as HikariCP is connecting) the driver runs and the connection it
 * opens is reported back, to be counted against max_db_connections. Kept tiny: inlined code runs in the driver's
 * class loader and can reach the agent only through the bridge.
 */
final class DriverConnectAdvice {

    private DriverConnectAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Connection.class)
    static Object enter(@Advice.This Driver driver, @Advice.Argument(0) String url,
                        @Advice.Argument(1) Properties info) throws java.sql.SQLException {
        PoolAgentBridge.Hook hook = PoolAgentBridge.hook;
        return hook == null ? null : hook.connect(driver, url, info);
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
