package io.poolagent;

import io.poolagent.config.AgentConfig;
import io.poolagent.config.ConfigException;
import io.poolagent.intercept.JdbcTrigger;
import io.poolagent.log.AgentLog;

import java.lang.instrument.Instrumentation;

/**
 * First code run inside the agent's class loader: reads the configuration and arms the JDBC trigger. Nothing heavy
 * happens here; Byte Buddy is loaded only when the JVM first touches {@code java.sql.DriverManager}.
 */
public final class AgentMain {

    private AgentMain() {
    }

    public static void start(Instrumentation inst, String agentArgs) {
        AgentConfig config;
        try {
            config = AgentConfig.load(agentArgs, System.getenv(), System.getProperties());
        } catch (ConfigException e) {
            if (AgentConfig.strictRequested(agentArgs, System.getenv(), System.getProperties())) {
                AgentLog.error(e.getMessage() + "; strict=true, so the JVM stops here");
                System.exit(1);
            }
            AgentLog.error(e.getMessage() + "; pool-agent stands aside: connections are not pooled");
            return;
        }
        if (!config.enabled()) {
            return;
        }
        AgentLog.setLevel(config.logLevel());
        if (!config.ignoredVariables().isEmpty()) {
            AgentLog.warn("ignoring environment variables that name no pool-agent setting: "
                    + String.join(", ", config.ignoredVariables()));
        }
        JdbcTrigger.arm(inst, config);
    }
}
