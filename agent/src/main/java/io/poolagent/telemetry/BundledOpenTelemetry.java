package io.poolagent.telemetry;

import io.opentelemetry.api.GlobalOpenTelemetry;

/**
 * The OpenTelemetry API copy bundled in the agent's own class loader. Nobody but the OpenTelemetry javaagent can
 * set it: that agent instruments every loader's {@code GlobalOpenTelemetry} so that it answers with the agent's SDK.
 * Without that agent, {@code isSet()} stays false and pools leave this copy alone.
 */
final class BundledOpenTelemetry {

    private BundledOpenTelemetry() {
    }

    /** The javaagent's OpenTelemetry, or null when there is none. Never calls set(), never installs a no-op. */
    static Object ifSet() {
        return GlobalOpenTelemetry.isSet() ? GlobalOpenTelemetry.getOrNoop() : null;
    }
}
