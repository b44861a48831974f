package io.poolagent.e2e;

import io.poolagent.harness.Artifacts;
import io.poolagent.harness.ChildJvm;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An application whose class path also carries the agent's classes (a fat jar bundling them, say) makes the JVM load
 * the agent's premain class from there, not from the -javaagent jar. The agent must still find its jar and pool.
 */
class AgentJarLocationTest extends DatabaseTest {

    @Test
    void theAgentFindsItsJarWhenTheApplicationCarriesItsClassesToo() {
        String classPath = Artifacts.root().resolve("agent/target/classes") + File.pathSeparator
                + Artifacts.appJar("connect-per-request");
        try (ChildJvm app = ChildJvm.java().agent(Artifacts.agentJar()).jvmOptions("-cp", classPath)
                .args("app.ConnectPerRequestApp", "serve").env("PORT", "0")
                .env("DATABASE_URL", db.databaseUrl("connection_limit=1")).start()) {
            app.awaitLine("LISTENING ", Duration.ofSeconds(60));
            assertTrue(app.stderr().contains("[pool-agent] INFO pool app@"), "the app's connections are pooled:\n"
                    + app.stderr());
            assertFalse(app.stderr().contains("[pool-agent] ERROR"), app.stderr());
        }
    }
}
