package io.poolagent.config;

/**
 * A configuration value the agent cannot use. The message is one line that names the setting, the value as shown to
 * the user (URLs always redacted: a password never appears), where the value came from when known, and what is
 * wrong, e.g. {@code invalid connection_limit "-3" (from POOL_AGENT_CONNECTION_LIMIT): must be a whole number of at
 * least 1}.
 *
 * <p>The code that detects a bad value usually does not know its source (a parser sees only a string), so the
 * source is attached later with {@link #withSource(String)} by the code that read it (see {@link AgentConfig}).
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final String shownValue;
    private final String reason;
    private final String source;
    private final boolean unknownSetting;

    /**
     * @param key        the setting, e.g. {@code connection_limit} or {@code DATABASE_URL}
     * @param shownValue the value as it may be shown: callers must redact anything that can hold a secret; null when
     *                   the value is deliberately not shown
     * @param reason     what is wrong, phrased to follow a colon, e.g. {@code must be true or false}
     */
    public ConfigException(String key, String shownValue, String reason) {
        this(key, shownValue, reason, null, false);
    }

    private ConfigException(String key, String shownValue, String reason, String source, boolean unknownSetting) {
        super(null, null, false, false); // no stack trace: these are user errors, reported as one line
        this.key = key;
        this.shownValue = shownValue;
        this.reason = reason;
        this.source = source;
        this.unknownSetting = unknownSetting;
    }

    /**
     * A setting name the agent does not know (probably a typo). Its value is not shown: an unknown name gives no
     * hint whether the value is secret.
     */
    static ConfigException unknownSetting(String key, String source, String knownSettings) {
        return new ConfigException(key, null, "known settings are " + knownSettings, source, true);
    }

    /** The same error, saying where the value came from, e.g. {@code -Dpoolagent.pool_timeout}. */
    public ConfigException withSource(String source) {
        return new ConfigException(key, shownValue, reason, source, unknownSetting);
    }

    public String key() {
        return key;
    }

    /** The value as shown in the message (redacted if it could hold a secret), or null if not shown. */
    public String shownValue() {
        return shownValue;
    }

    public String reason() {
        return reason;
    }

    /** Where the value came from, or null if not (yet) known. */
    public String source() {
        return source;
    }

    @Override
    public String getMessage() {
        StringBuilder sb = new StringBuilder(96);
        sb.append(unknownSetting ? "unknown setting " : "invalid ");
        oneLine(sb, key);
        if (shownValue != null) {
            sb.append(" \"");
            oneLine(sb, shownValue);
            sb.append('"');
        }
        if (source != null) {
            sb.append(" (from ");
            oneLine(sb, source);
            sb.append(')');
        }
        sb.append(unknownSetting ? "; " : ": ");
        oneLine(sb, reason);
        return sb.toString();
    }

    /** Escapes control characters so that a value with a newline cannot split or forge log lines. */
    private static void oneLine(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("null");
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            } else {
                sb.append(c);
            }
        }
    }
}
