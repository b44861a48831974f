package io.poolagent.e2e;

import io.poolagent.harness.Artifacts;
import io.poolagent.harness.ChildJvm;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JAVA_TOOL_OPTIONS puts the agent into every JVM of a container. JDK tools that have no java.sql module must start
 * and work as if it were not there, and say nothing about it.
 */
class JdkToolsTest {

    private static String toolOptions() {
        return "-javaagent:" + Artifacts.agentJar();
    }

    @Test
    void keytoolStartsNormally() {
        try (ChildJvm tool = ChildJvm.command(ChildJvm.tool(ChildJvm.currentJavaHome(), "keytool").toString(), "-help")
                .env("JAVA_TOOL_OPTIONS", toolOptions()).start()) {
            assertEquals(0, tool.waitFor(Duration.ofSeconds(60)), tool.describe());
            String all = tool.stdout() + tool.stderr();
            assertTrue(all.contains("Key and Certificate Management Tool"), all);
            assertTrue(tool.stderr().contains("Picked up JAVA_TOOL_OPTIONS"), "the agent must really have been given");
            assertFalse(all.contains("[pool-agent]"), all);
            assertFalse(all.contains("Exception"), all);
        }
    }

    @Test
    void jshellStartsAndEvaluates() {
        try (ChildJvm tool = ChildJvm.command(ChildJvm.tool(ChildJvm.currentJavaHome(), "jshell").toString(), "-q")
                .env("JAVA_TOOL_OPTIONS", toolOptions()).stdin("System.out.println(6 * 7)\n/exit\n").start()) {
            assertEquals(0, tool.waitFor(Duration.ofSeconds(120)), tool.describe());
            assertTrue(tool.stdout().contains("42"), tool.describe());
            assertFalse((tool.stdout() + tool.stderr()).contains("[pool-agent]"), tool.describe());
            assertFalse(tool.stderr().contains("Exception"), tool.describe());
        }
    }
}
