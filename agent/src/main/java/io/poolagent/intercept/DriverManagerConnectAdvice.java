package io.poolagent.intercept;

import net.bytebuddy.asm.Advice;

import java.sql.Connection;
import java.sql.PoolAgentBridge;
import java.util.Properties;

/**
 * Inlined into DriverManager's private {@code getConnection(String, Properties, Class)}: a URL and properties the
 * agent already pools go straight to their pool. Anything else falls through to DriverManager, whose driver's
 * connect is intercepted by {@link DriverConnectAdvice}. A libpq-style URL ({@code postgresql://...}) is first
 * replaced by its pgjdbc translation, so that DriverManager finds the driver for it.
 */
final class DriverManagerConnectAdvice {

    private DriverManagerConnectAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static Connection enter(@Advice.Argument(value = 0, readOnly = false) String url,
                            @Advice.Argument(value = 1, readOnly = false) Properties info,
                            @Advice.Argument(2) Class<?> caller) throws java.sql.SQLException {
        PoolAgentBridge.Hook hook = PoolAgentBridge.hook;
        if (hook == null) {
            return null;
        }
        if (url != null && url.regionMatches(true, 0, "postgres", 0, 8)) {
            Object[] translated = hook.translate(url, info);
            if (translated != null) {
                url = (String) translated[0];
                info = (Properties) translated[1];
            }
        }
        return hook.connectKnown(url, info, caller);
    }

    @Advice.OnMethodExit
    static void exit(@Advice.Enter Connection pooled, @Advice.Return(readOnly = false) Connection returned) {
        if (pooled != null) {
            returned = pooled;
        }
    }
}
