package io.poolagent.intercept;

import jdk.internal.reflect.Reflection;
import net.bytebuddy.asm.Advice;

import java.sql.Connection;
import java.sql.PoolAgentBridge;

/**
 * Inlined into the public {@code DriverManager.getConnection(String, String, String)}, the overload most
 * connect-per-request code calls: a known URL, user and password go straight to their pool, before DriverManager
 * builds the Properties object it would otherwise pass down. The method is caller-sensitive, so asking for the
 * caller here is what DriverManager's own body does.
 */
final class DriverManagerUserConnectAdvice {

    private DriverManagerUserConnectAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static Connection enter(@Advice.Argument(0) String url, @Advice.Argument(1) String user,
                            @Advice.Argument(2) String password) throws java.sql.SQLException {
        PoolAgentBridge.Hook hook = PoolAgentBridge.hook;
        return hook == null ? null : hook.connectKnown(url, user, password, Reflection.getCallerClass());
    }

    @Advice.OnMethodExit
    static void exit(@Advice.Enter Connection pooled, @Advice.Return(readOnly = false) Connection returned) {
        if (pooled != null) {
            returned = pooled;
        }
    }
}
