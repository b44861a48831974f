package io.poolagent.log;

import org.slf4j.Logger;
import org.slf4j.Marker;

import java.util.Locale;

/**
 * The agent's log: one line per event on stderr, {@code [pool-agent] LEVEL message}, so it stands apart from the
 * application's own output. Every call site in the agent logs through here.
 *
 * <p>Underneath is slf4j, but the agent's own copy of slf4j-api, isolated in the agent's class loader and bound
 * directly to {@link StderrLoggerProvider}: the agent neither depends on nor disturbs the application's logging
 * (no binding to its slf4j, no "SLF4J:" start-up warnings, no configuration read or changed). slf4j classes load
 * on the first line actually written, not in premain. Only with log_to=slf4j, an opt-in, do lines go to the
 * application's slf4j instead ({@link #useApplicationSlf4j}).
 *
 * <p>Levels, most quiet first: {@code error}, {@code warn}, {@code quiet} (the default: warnings, errors and the
 * few {@link #notice} lines, such as the one line per pool with its settings), {@code info}, {@code debug}.
 */
public final class AgentLog {

    /** The log_level values, in order: each shows what the ones before it show, and more. */
    public enum Level { ERROR, WARN, QUIET, INFO, DEBUG }

    public static final Level DEFAULT_LEVEL = Level.QUIET;

    private static volatile Level threshold = DEFAULT_LEVEL;

    private AgentLog() {
    }

    /** Loaded on the first line written: the slf4j logger and the marker that lets a notice through at quiet. */
    private static final class Holder {
        static final StderrLoggerProvider PROVIDER = StderrLoggerProvider.instance();
        static final Logger LOGGER = PROVIDER.getLoggerFactory().getLogger("pool-agent");
        static final Marker NOTICE = PROVIDER.getMarkerFactory().getMarker(StderrLoggerProvider.NOTICE);
    }

    /** Sets the threshold from a log_level value (error, warn, quiet, info, debug; any case). */
    public static void setLevel(String name) {
        threshold = parse(name);
    }

    public static Level parse(String name) {
        return Level.valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    public static Level level() {
        return threshold;
    }

    /**
     * log_to=slf4j: from now on, lines go to the application's slf4j, looked up in this class loader (the context
     * loader of the thread making the first pool). Falls back to stderr, saying why once, if there is none.
     */
    public static void useApplicationSlf4j(ClassLoader applicationLoader) {
        String missing = ApplicationSlf4j.connect(applicationLoader);
        if (missing != null) {
            warn("log_to=slf4j, but " + missing + "; pool-agent logs to stderr");
        }
    }

    public static void error(String message) {
        Holder.LOGGER.error(message);
    }

    public static void warn(String message) {
        Holder.LOGGER.warn(message);
    }

    public static void warn(String message, Throwable t) {
        Holder.LOGGER.warn(message, t);
    }

    /**
     * An INFO line shown at the default level too: for the rare lines a user running with defaults should see,
     * such as a new pool's settings or the end of a reported leak.
     */
    public static void notice(String message) {
        Holder.LOGGER.info(Holder.NOTICE, message);
    }

    public static void info(String message) {
        if (threshold.compareTo(Level.INFO) >= 0) {
            Holder.LOGGER.info(message);
        }
    }

    public static void debug(String message) {
        if (threshold.compareTo(Level.DEBUG) >= 0) {
            Holder.LOGGER.debug(message);
        }
    }
}
