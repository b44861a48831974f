package io.poolagent.log;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The slf4j binding of the agent's private slf4j-api: prefixed lines on stderr at the agent's log_level.
 *
 * <p>{@link AgentLog} uses it directly, without {@code LoggerFactory}, so no discovery runs and no system property
 * meant for the application's slf4j (such as {@code slf4j.provider}) can reach the agent's copy. It is also
 * registered under META-INF/services, so a library inside the agent's class loader that asks {@code LoggerFactory}
 * gets it as the one provider, silently.
 */
public final class StderrLoggerProvider implements SLF4JServiceProvider {

    /** Marker name of a {@link AgentLog#notice} line: INFO, but shown at the default level. */
    public static final String NOTICE = "POOL_AGENT_NOTICE";

    private static final StderrLoggerProvider INSTANCE = new StderrLoggerProvider();

    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final ConcurrentHashMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private final ILoggerFactory factory = name -> loggers.computeIfAbsent(name, StderrLogger::new);

    /** For ServiceLoader. The agent itself uses {@link #instance()}. */
    public StderrLoggerProvider() {
    }

    static StderrLoggerProvider instance() {
        return INSTANCE;
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return new NOPMDCAdapter();
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        // nothing to set up: the level lives in AgentLog, the stream is System.err at each line
    }
}
