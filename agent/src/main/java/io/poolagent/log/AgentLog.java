package io.poolagent.log;

/**
 * The agent's log: one line per event on stderr, prefixed so it stands apart from the application's own output.
 * It deliberately touches no logging framework: the agent must neither depend on nor disturb the application's.
 */
public final class AgentLog {

    public enum Level { ERROR, WARN, INFO, DEBUG }

    private static volatile Level threshold = Level.INFO;

    private AgentLog() {
    }

    public static void setLevel(String name) {
        threshold = Level.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
    }

    public static boolean enabled(Level level) {
        return level.compareTo(threshold) <= 0;
    }

    public static void error(String message) {
        log(Level.ERROR, message, null);
    }

    public static void warn(String message) {
        log(Level.WARN, message, null);
    }

    public static void warn(String message, Throwable t) {
        log(Level.WARN, message, t);
    }

    public static void info(String message) {
        log(Level.INFO, message, null);
    }

    public static void debug(String message) {
        log(Level.DEBUG, message, null);
    }

    private static void log(Level level, String message, Throwable t) {
        if (!enabled(level)) {
            return;
        }
        String line = "[pool-agent] " + level + " " + message;
        if (t != null) {
            line += ": " + t;
        }
        System.err.println(line);
    }
}
