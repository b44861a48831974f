package io.poolagent.intercept;

import net.bytebuddy.asm.Advice;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.PoolAgentBridge;
import java.util.Properties;

/**
 * Inlined into each registered driver's {@code connect(String, Properties)}. When the agent hands back a pooled
 * connection the driver's own body is skipped; when it returns null the driver runs exactly as without the agent.
 * Kept tiny: inlined code runs in the driver's class loader and can reach the agent only through the bridge.
 */
final class DriverConnectAdvice {

    private DriverConnectAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static Connection enter(@Advice.This Driver driver, @Advice.Argument(0) String url,
                            @Advice.Argument(1) Properties info) throws java.sql.SQLException {
        PoolAgentBridge.Hook hook = PoolAgentBridge.hook;
        return hook == null ? null : hook.connect(driver, url, info);
    }

    @Advice.OnMethodExit
    static void exit(@Advice.Enter Connection pooled, @Advice.Return(readOnly = false) Connection returned) {
        if (pooled != null) {
            returned = pooled;
        }
    }
}
