package io.poolagent.intercept;

import net.bytebuddy.asm.Advice;

import java.sql.Connection;
import java.sql.PoolAgentBridge;
import java.util.Properties;

/**
 * Inlined into DriverManager's private {@code getConnection(String, Properties, Class)}: a URL and properties the
 * agent already pools go straight to their pool. Anything else falls through to DriverManager, whose driver's
 * connect is intercepted by {@link DriverConnectAdvice}.
 */
final class DriverManagerConnectAdvice {

    private DriverManagerConnectAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static Connection enter(@Advice.Argument(0) String url, @Advice.Argument(1) Properties info,
                            @Advice.Argument(2) Class<?> caller) throws java.sql.SQLException {
        PoolAgentBridge.Hook hook = PoolAgentBridge.hook;
        return hook == null ? null : hook.connectKnown(url, info, caller);
    }

    @Advice.OnMethodExit
    static void exit(@Advice.Enter Connection pooled, @Advice.Return(readOnly = false) Connection returned) {
        if (pooled != null) {
            returned = pooled;
        }
    }
}
