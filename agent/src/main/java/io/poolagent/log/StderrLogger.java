package io.poolagent.log;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.MessageFormatter;

import java.io.PrintStream;

/**
 * Writes {@code [pool-agent] LEVEL message} lines to stderr, filtered by {@link AgentLog#level()}, or with
 * log_to=slf4j hands them to the application's slf4j ({@link ApplicationSlf4j}). One println per event, so lines
 * from several threads do not interleave. A throwable is appended as {@code : <throwable>}, and
 * its stack trace follows at log_level=debug.
 */
final class StderrLogger extends AbstractLogger {

    private static final long serialVersionUID = 1L;
    static final String PREFIX = "[pool-agent] ";

    StderrLogger(String name) {
        this.name = name;
    }

    private static boolean shows(AgentLog.Level needed) {
        return AgentLog.level().compareTo(needed) >= 0;
    }

    private static boolean isNotice(Marker marker) {
        return marker != null && StderrLoggerProvider.NOTICE.equals(marker.getName());
    }

    @Override
    public boolean isTraceEnabled() {
        return false;
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
        return false;
    }

    @Override
    public boolean isDebugEnabled() {
        return shows(AgentLog.Level.DEBUG);
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
        return isDebugEnabled();
    }

    @Override
    public boolean isInfoEnabled() {
        return shows(AgentLog.Level.INFO);
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
        return shows(isNotice(marker) ? AgentLog.Level.QUIET : AgentLog.Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return shows(AgentLog.Level.WARN);
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
        return isWarnEnabled();
    }

    @Override
    public boolean isErrorEnabled() {
        return true;
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
        return true;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                               Throwable throwable) {
        String message = arguments == null || arguments.length == 0 ? pattern
                : MessageFormatter.basicArrayFormat(pattern, arguments);
        if (ApplicationSlf4j.deliver(level, message, throwable)) {
            return;
        }
        StringBuilder line = new StringBuilder(PREFIX.length() + 8 + (message == null ? 4 : message.length()))
                .append(PREFIX).append(level).append(' ').append(message);
        if (throwable != null) {
            line.append(": ").append(throwable);
        }
        PrintStream err = System.err;
        err.println(line);
        if (throwable != null && isDebugEnabled()) {
            throwable.printStackTrace(err);
        }
    }
}
