package io.poolagent.harness;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A throwaway PostgreSQL in a Docker container through Testcontainers. Only {@link TestDatabase} uses this class, and
 * only after checking {@link #dockerAvailable()}, so the Testcontainers classes are not even loaded when a database
 * comes from elsewhere.
 */
final class ContainerCluster {
    static final String IMAGE = "postgres:15-alpine";
    static final String SUPERUSER = "postgres";
    private static final int POSTGRES_PORT = 5432;

    private final PostgreSQLContainer container;
    private final String superuserPassword;

    private ContainerCluster(PostgreSQLContainer container, String superuserPassword) {
        this.container = container;
        this.superuserPassword = superuserPassword;
    }

    /** True when a Docker engine answers; never throws. */
    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    static ContainerCluster start(int maxConnections, String superuserPassword) {
        PostgreSQLContainer container = new PostgreSQLContainer(DockerImageName.parse(IMAGE))
                .withUsername(SUPERUSER)
                .withPassword(superuserPassword)
                .withDatabaseName("postgres")
                .withCommand("postgres",
                        "-c", "max_connections=" + maxConnections,
                        "-c", "fsync=off",
                        "-c", "synchronous_commit=off",
                        "-c", "full_page_writes=off");
        try {
            container.start();
        } catch (RuntimeException e) {
            String logs = "";
            try {
                logs = container.getLogs();
            } catch (RuntimeException ignored) {
                // no logs to add
            }
            try {
                container.stop();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw new IllegalStateException("Testcontainers could not start " + IMAGE + ": " + e
                    + (logs.isBlank() ? "" : "\n--- container log ---\n" + logs.strip()), e);
        }
        return new ContainerCluster(container, superuserPassword);
    }

    String host() {
        return container.getHost();
    }

    int port() {
        return container.getMappedPort(POSTGRES_PORT);
    }

    String superuserPassword() {
        return superuserPassword;
    }

    String containerId() {
        String id = container.getContainerId();
        return id == null ? "?" : id.substring(0, Math.min(12, id.length()));
    }

    void destroy() {
        container.stop();
    }
}
