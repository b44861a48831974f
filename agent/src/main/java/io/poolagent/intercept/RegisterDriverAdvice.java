package io.poolagent.intercept;

import net.bytebuddy.asm.Advice;

import java.sql.Driver;
import java.sql.PoolAgentBridge;

/** Inlined into {@code DriverManager.registerDriver(Driver, DriverAction)}: tells the agent a driver appeared. */
final class RegisterDriverAdvice {

    private RegisterDriverAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.Argument(0) Driver driver) {
        PoolAgentBridge.Hook hook = PoolAgentBridge.hook;
        if (hook != null && driver != null) {
            hook.driverRegistered(driver);
        }
    }
}
