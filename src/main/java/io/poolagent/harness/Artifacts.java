package io.poolagent.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the built jars are. The harness runs what {@code mvn package} produced, exactly as a user would, so it
 * locates the repository root rather than the class path.
 */
public final class Artifacts {

    /** System property naming the repository root; surefire sets it, scripts pass it. */
    public static final String ROOT_PROPERTY = "poolagent.root";

    private Artifacts() {
    }

    /**
     * The repository root: {@code -Dpoolagent.root}, else the nearest directory at or above the working directory that
     * holds both {@code agent/} and {@code pom.xml}.
     */
    public static Path root() {
        String property = System.getProperty(ROOT_PROPERTY);
        if (property != null && !property.isBlank()) {
            Path root = Paths.get(property).toAbsolutePath().normalize();
            if (!isRoot(root)) {
                throw new IllegalStateException(ROOT_PROPERTY + "=" + property + " is not the pool-agent repository"
                        + " root (no agent/ and pom.xml there)");
            }
            return root;
        }
        Path start = Paths.get("").toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (isRoot(dir)) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the pool-agent repository root above " + start
                + "; run from inside the repository or pass -D" + ROOT_PROPERTY + "=<dir>");
    }

    /** agent/target/pool-agent.jar, the file a user puts after -javaagent:. */
    public static Path agentJar() {
        return existing(root().resolve("agent/target/pool-agent.jar"));
    }

    /** test-apps/&lt;name&gt;/target/&lt;name&gt;.jar, a runnable test application. */
    public static Path appJar(String name) {
        return existing(root().resolve("test-apps").resolve(name).resolve("target").resolve(name + ".jar"));
    }

    private static boolean isRoot(Path dir) {
        return Files.isDirectory(dir.resolve("agent")) && Files.isRegularFile(dir.resolve("pom.xml"));
    }

    private static Path existing(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: run mvn -B package first (from " + root() + ")");
        }
        return jar;
    }
}
