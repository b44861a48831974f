package io.poolagent.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child process, usually a JVM running a jar (optionally under the agent), with its output captured.
 *
 * <p>The child's environment starts from a copy of this process's, minus anything that would configure the agent or
 * inject JVM options behind the test's back ({@link #SCRUBBED_VARIABLES}, {@code POOL_AGENT_*}); the test then adds
 * exactly what it means to. Stdout and stderr are read continuously (a child never blocks on a full pipe) and are
 * readable as text at any time.
 *
 * <pre>{@code
 * try (ChildJvm app = ChildJvm.java().agent(Artifacts.agentJar())
 *         .jar(Artifacts.appJar("connect-per-request"), "serve")
 *         .env("DATABASE_URL", url).start()) {
 *     String line = app.awaitLine("LISTENING ", Duration.ofSeconds(30));
 * }
 * ChildJvm tool = ChildJvm.command(ChildJvm.tool(javaHome, "jshell").toString())
 *         .env("JAVA_TOOL_OPTIONS", "-javaagent:" + agent).stdin("/exit\n").start();
 * int exit = tool.waitFor(Duration.ofSeconds(60));
 * }</pre>
 */
public final class ChildJvm implements AutoCloseable {

    /** Removed from the inherited environment; POOL_AGENT_* too. A test sets any of them explicitly. */
    public static final List<String> SCRUBBED_VARIABLES =
            List.of("DATABASE_URL", "DIRECT_URL", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "PORT");

    /** How long {@link #stop()} waits after SIGTERM before killing. */
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final String name;
    private final List<String> commandLine;
    private final Process process;
    private final Capture out;
    private final Capture err;

    private ChildJvm(String name, List<String> commandLine, Process process) {
        this.name = name;
        this.commandLine = commandLine;
        this.process = process;
        this.out = new Capture(process.getInputStream(), name + "-stdout");
        this.err = new Capture(process.getErrorStream(), name + "-stderr");
    }

    /** A {@code java} child using this JVM's own java.home unless {@link Builder#javaHome} says otherwise. */
    public static Builder java() {
        return new Builder(null);
    }

    /** Any command (a JDK tool, a script): same environment handling and capture, but no JVM options. */
    public static Builder command(String... command) {
        if (command.length == 0) {
            throw new IllegalArgumentException("empty command");
        }
        return new Builder(List.of(command));
    }

    /** This JVM's java.home. */
    public static Path currentJavaHome() {
        return Paths.get(System.getProperty("java.home"));
    }

    /** {@code <javaHome>/bin/<name>}, e.g. tool(home, "keytool"). */
    public static Path tool(Path javaHome, String name) {
        return javaHome.resolve("bin").resolve(name);
    }

    /** The environment a child gets before the test adds its own variables. */
    public static Map<String, String> baseEnvironment() {
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        env.keySet().removeIf(k -> SCRUBBED_VARIABLES.contains(k) || k.startsWith("POOL_AGENT_"));
        return env;
    }

    // ------------------------------------------------------------------------------------------------- builder

    /** Describes the child; {@link #start()} launches it. */
    public static final class Builder {
        private final List<String> command; // null: a java child
        private Path javaHome = currentJavaHome();
        private Path agentJar;
        private String agentArgs;
        private final List<String> jvmOptions = new ArrayList<>();
        private Path jar;
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private String stdin;
        private Path directory;
        private String name;

        private Builder(List<String> command) {
            this.command = command;
        }

        /** The JDK to run {@code bin/java} from, e.g. /usr/lib/jvm/temurin-25-jdk-amd64. */
        public Builder javaHome(Path javaHome) {
            requireJava("javaHome");
            this.javaHome = Objects.requireNonNull(javaHome);
            return this;
        }

        /** Adds {@code -javaagent:<agentJar>}. */
        public Builder agent(Path agentJar) {
            return agent(agentJar, null);
        }

        /** Adds {@code -javaagent:<agentJar>=<agentArgs>} (no '=' part when agentArgs is null or empty). */
        public Builder agent(Path agentJar, String agentArgs) {
            requireJava("agent");
            this.agentJar = Objects.requireNonNull(agentJar);
            this.agentArgs = agentArgs;
            return this;
        }

        /** JVM options placed before -jar, e.g. "-Xmx256m". */
        public Builder jvmOptions(String... options) {
            requireJava("jvmOptions");
            jvmOptions.addAll(Arrays.asList(options));
            return this;
        }

        /** {@code -jar <jar> <args...>}. */
        public Builder jar(Path jar, String... args) {
            requireJava("jar");
            this.jar = Objects.requireNonNull(jar);
            this.args.addAll(Arrays.asList(args));
            return this;
        }

        /** More arguments at the end of the command line. */
        public Builder args(String... args) {
            this.args.addAll(Arrays.asList(args));
            return this;
        }

        /** Sets a variable in the child's environment (on top of {@link #baseEnvironment()}). */
        public Builder env(String key, String value) {
            env.put(key, Objects.requireNonNull(value, key));
            return this;
        }

        public Builder env(Map<String, String> variables) {
            variables.forEach(this::env);
            return this;
        }

        /** Text written to the child's stdin, which is then closed. Without it stdin is closed at once. */
        public Builder stdin(String input) {
            this.stdin = input;
            return this;
        }

        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /** A short label for thread names and messages. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public List<String> commandLine() {
            List<String> line = new ArrayList<>();
            if (command != null) {
                line.addAll(command);
            } else {
                line.add(tool(javaHome, "java").toString());
                if (agentJar != null) {
                    line.add("-javaagent:" + agentJar
                            + (agentArgs == null || agentArgs.isEmpty() ? "" : "=" + agentArgs));
                }
                line.addAll(jvmOptions);
                if (jar != null) {
                    line.add("-jar");
                    line.add(jar.toString());
                }
            }
            line.addAll(args);
            return line;
        }

        public Map<String, String> environment() {
            Map<String, String> full = baseEnvironment();
            full.putAll(env);
            return full;
        }

        public ChildJvm start() {
            List<String> line = commandLine();
            ProcessBuilder pb = new ProcessBuilder(line);
            pb.environment().clear();
            pb.environment().putAll(environment());
            if (directory != null) {
                pb.directory(directory.toFile());
            }
            String label = name != null ? name
                    : jar != null ? jar.getFileName().toString() : Paths.get(line.get(0)).getFileName().toString();
            Process process;
            try {
                process = pb.start();
            } catch (IOException e) {
                throw new ChildFailure("cannot start " + String.join(" ", line) + ": " + e.getMessage(), e);
            }
            ChildJvm child = new ChildJvm(label, List.copyOf(line), process);
            child.feedStdin(stdin);
            return child;
        }

        private void requireJava(String what) {
            if (command != null) {
                throw new IllegalStateException(what + "() applies to ChildJvm.java() only");
            }
        }
    }

    // ----------------------------------------------------------------------------------------------- the child

    private void feedStdin(String input) {
        OutputStream stdin = process.getOutputStream();
        if (input == null) {
            closeQuietly(stdin);
            return;
        }
        // A separate thread: a child that prints a lot before reading must not deadlock us.
        Thread writer = new Thread(() -> {
            try (stdin) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the child exited without reading its input; its exit code tells the story
            }
        }, name + "-stdin");
        writer.setDaemon(true);
        writer.start();
    }

    public String name() {
        return name;
    }

    public List<String> commandLine() {
        return commandLine;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code if the child has exited. */
    public Optional<Integer> exitCode() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    /** Everything the child has written to stdout so far. */
    public String stdout() {
        return out.text();
    }

    /** Everything the child has written to stderr so far. */
    public String stderr() {
        return err.text();
    }

    public List<String> stdoutLines() {
        return out.lines();
    }

    public List<String> stderrLines() {
        return err.lines();
    }

    /**
     * Waits for the first stdout line starting with {@code prefix} and returns it (a line already printed counts).
     *
     * @throws ChildFailure with the captured stderr if the child exits first or the timeout passes
     */
    public String awaitLine(String prefix, Duration timeout) {
        return await(out, "stdout", prefix, timeout);
    }

    /** As {@link #awaitLine} but on stderr, where agents and loggers write. */
    public String awaitStderrLine(String prefix, Duration timeout) {
        return await(err, "stderr", prefix, timeout);
    }

    private String await(Capture capture, String stream, String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<String> line = capture.awaitLine(l -> l.startsWith(prefix), deadline);
        if (line.isPresent()) {
            return line.get();
        }
        String why = capture.isClosed() ? "closed " + stream + " (exit code " + exitCodeOrWait() + ")"
                : "did not print it within " + timeout;
        throw new ChildFailure("waiting for a " + stream + " line starting with '" + prefix + "': " + name + " "
                + why + "\n" + describe());
    }

    /**
     * Waits for the child to exit and for its output to be read to the end.
     *
     * @return the exit code
     * @throws ChildFailure with the captured output if it is still running after the timeout (it is left running;
     *                      {@link #close()} ends it)
     */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ChildFailure(name + " still running after " + timeout + "\n" + describe());
            }
            out.join(Duration.ofSeconds(5));
            err.join(Duration.ofSeconds(5));
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChildFailure("interrupted waiting for " + name, e);
        }
    }

    /** SIGTERM to the child (and anything it started), then a kill if it is still there after a few seconds. */
    public void stop() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
            descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            out.join(Duration.ofSeconds(2));
            err.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Command line, state and the tail of both streams: what a failure message needs. */
    public String describe() {
        return "command: " + String.join(" ", commandLine) + "\n"
                + "state: " + (process.isAlive() ? "running" : "exited " + process.exitValue()) + "\n"
                + "--- stderr (tail) ---\n" + tail(stderr(), 4000) + "\n"
                + "--- stdout (tail) ---\n" + tail(stdout(), 2000);
    }

    @Override
    public String toString() {
        return name + "[pid " + process.pid() + "]";
    }

    private String exitCodeOrWait() {
        try {
            // the stream closing usually means the process is exiting; give it a moment to have a code
            return process.waitFor(2, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    static String tail(String text, int maxChars) {
        return text.length() <= maxChars ? text : "..." + text.substring(text.length() - maxChars);
    }

    private static void closeQuietly(OutputStream stream) {
        try {
            stream.close();
        } catch (IOException ignored) {
            // nothing to do: the child is gone
        }
    }

    /** Thrown when a child cannot be started, dies early, or does not do what was awaited in time. */
    public static final class ChildFailure extends RuntimeException {
        public ChildFailure(String message) {
            super(message);
        }

        public ChildFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    // ---------------------------------------------------------------------------------------------- capturing

    /** Reads one stream to the end on its own thread, keeping the text and its complete lines. */
    private static final class Capture {
        /** Beyond this the rest is counted but dropped, so a runaway child cannot exhaust our heap. */
        private static final int MAX_CHARS = 16 << 20;

        private final StringBuilder text = new StringBuilder();
        private final List<String> lines = new ArrayList<>();
        private int lineStart; // index in text where the current incomplete line begins
        private long dropped;
        private boolean closed;
        private final Thread thread;

        Capture(InputStream stream, String threadName) {
            thread = new Thread(() -> pump(stream), threadName);
            thread.setDaemon(true);
            thread.start();
        }

        private void pump(InputStream stream) {
            char[] buffer = new char[8192];
            try (Reader reader = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
                int n;
                while ((n = reader.read(buffer)) >= 0) {
                    append(buffer, n);
                }
            } catch (IOException ignored) {
                // the pipe broke because the process was killed: what was read is all there is
            } finally {
                synchronized (this) {
                    if (lineStart < text.length()) {
                        lines.add(stripCr(text.substring(lineStart)));
                        lineStart = text.length();
                    }
                    closed = true;
                    notifyAll();
                }
            }
        }

        private synchronized void append(char[] buffer, int n) {
            int room = MAX_CHARS - text.length();
            if (room <= 0) {
                dropped += n;
                return;
            }
            text.append(buffer, 0, Math.min(n, room));
            dropped += Math.max(0, n - room);
            int newline;
            while ((newline = text.indexOf("\n", lineStart)) >= 0) {
                lines.add(stripCr(text.substring(lineStart, newline)));
                lineStart = newline + 1;
            }
            notifyAll();
        }

        synchronized String text() {
            return dropped == 0 ? text.toString() : text + "\n[... " + dropped + " more characters dropped]";
        }

        synchronized List<String> lines() {
            return List.copyOf(lines);
        }

        synchronized boolean isClosed() {
            return closed;
        }

        /** The first complete line matching, waiting until the deadline (nanoTime) or the end of the stream. */
        synchronized Optional<String> awaitLine(Predicate<String> matcher, long deadline) {
            int checked = 0;
            while (true) {
                for (; checked < lines.size(); checked++) {
                    if (matcher.test(lines.get(checked))) {
                        return Optional.of(lines.get(checked));
                    }
                }
                long left = deadline - System.nanoTime();
                if (closed || left <= 0) {
                    return Optional.empty();
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
        }

        void join(Duration timeout) throws InterruptedException {
            thread.join(Math.max(1, timeout.toMillis()));
        }

        private static String stripCr(String line) {
            return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        }
    }
}
