package io.poolagent.harness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A test application running in serve mode in its own JVM, with or without the agent, reachable at {@link #baseUri()}
 * once it has printed {@code LISTENING <port>}.
 *
 * <pre>{@code
 * try (AppUnderTest app = AppUnderTest.connectPerRequest()
 *         .databaseUrl(db.databaseUrl("connection_limit=15")).withAgent().start()) {
 *     assertEquals(200, app.get("/health").status());
 * }
 * }</pre>
 */
public final class AppUnderTest implements AutoCloseable {

    public static final String CONNECT_PER_REQUEST = "connect-per-request";

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private final ChildJvm jvm;
    private final URI baseUri;

    private AppUnderTest(ChildJvm jvm, URI baseUri) {
        this.jvm = jvm;
        this.baseUri = baseUri;
    }

    /** The connect-per-request app, serve mode. */
    public static Builder connectPerRequest() {
        return new Builder(CONNECT_PER_REQUEST);
    }

    /** Any test app under test-apps/ that speaks the same serve protocol. */
    public static Builder app(String name) {
        return new Builder(name);
    }

    /** Shorthand: the connect-per-request app with the given DATABASE_URL, with or without the agent. */
    public static AppUnderTest start(String databaseUrl, boolean withAgent) {
        Builder b = connectPerRequest().databaseUrl(databaseUrl);
        return (withAgent ? b.withAgent() : b).start();
    }

    public static final class Builder {
        private final String appName;
        private String databaseUrl;
        private boolean agent;
        private String agentArgs;
        private Path javaHome;
        private final List<String> jvmOptions = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private Duration startTimeout = Duration.ofSeconds(60);

        private Builder(String appName) {
            this.appName = appName;
        }

        /** The app's DATABASE_URL (postgresql://...); the agent, when present, reads its settings from it too. */
        public Builder databaseUrl(String databaseUrl) {
            this.databaseUrl = databaseUrl;
            return this;
        }

        /** Runs under -javaagent:agent/target/pool-agent.jar. */
        public Builder withAgent() {
            return withAgent(null);
        }

        /** Runs under -javaagent:agent/target/pool-agent.jar=&lt;agentArgs&gt;. */
        public Builder withAgent(String agentArgs) {
            this.agent = true;
            this.agentArgs = agentArgs;
            return this;
        }

        /** Another environment variable, e.g. a POOL_AGENT_* setting. */
        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        public Builder jvmOptions(String... options) {
            jvmOptions.addAll(List.of(options));
            return this;
        }

        public Builder javaHome(Path javaHome) {
            this.javaHome = javaHome;
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /** Starts the app and waits for LISTENING; on failure the child is stopped and its stderr reported. */
        public AppUnderTest start() {
            ChildJvm.Builder b = ChildJvm.java()
                    .name(appName + (agent ? "+agent" : ""))
                    .jvmOptions(jvmOptions.toArray(String[]::new))
                    .jar(Artifacts.appJar(appName), "serve")
                    .env("PORT", "0")
                    .env(env);
            if (javaHome != null) {
                b.javaHome(javaHome);
            }
            if (agent) {
                b.agent(Artifacts.agentJar(), agentArgs);
            }
            if (databaseUrl != null) {
                b.env("DATABASE_URL", databaseUrl);
            }
            ChildJvm jvm = b.start();
            try {
                String line = jvm.awaitLine("LISTENING ", startTimeout);
                int port = Integer.parseInt(line.substring("LISTENING ".length()).trim());
                return new AppUnderTest(jvm, URI.create("http://127.0.0.1:" + port + "/"));
            } catch (RuntimeException e) {
                jvm.stop();
                throw e;
            }
        }
    }

    public URI baseUri() {
        return baseUri;
    }

    /** baseUri resolved against a path and query such as "/work?hold_ms=50". */
    public URI uri(String pathAndQuery) {
        return baseUri.resolve(pathAndQuery.startsWith("/") ? pathAndQuery.substring(1) : pathAndQuery);
    }

    public ChildJvm jvm() {
        return jvm;
    }

    public String stdout() {
        return jvm.stdout();
    }

    public String stderr() {
        return jvm.stderr();
    }

    /** One GET; I/O failures are rethrown unchecked with the app's stderr attached. */
    public Response get(String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(60)).GET().build();
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new ChildJvm.ChildFailure("GET " + request.uri() + " failed: " + e + "\n" + jvm.describe(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChildJvm.ChildFailure("interrupted: GET " + request.uri(), e);
        }
    }

    public void stop() {
        jvm.stop();
    }

    @Override
    public void close() {
        stop();
    }

    /** Status and body of one response. */
    public record Response(int status, String body) {
        public Response {
            Objects.requireNonNull(body);
        }

        public boolean ok() {
            return status == 200;
        }
    }
}
