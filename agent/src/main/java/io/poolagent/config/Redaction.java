package io.poolagent.config;

/** Masks secrets in connection URLs before they reach a message or a log line. */
final class Redaction {
    static final String MASK = "***";

    private Redaction() {
    }

    /** Parameter names whose values are secrets: password, sslpassword, and anything else naming a password. */
    static boolean isSecretKey(String key) {
        return key.toLowerCase(java.util.Locale.ROOT).contains("password");
    }

    /**
     * Redacts a string that may not parse as a URL (used in error messages about malformed URLs). It errs on the
     * side of hiding too much: everything from the first ':' after "//" to the LAST '@' is masked, so a password
     * holding an unencoded '/', '?' or '@' is hidden too, even though the parser would have split it elsewhere. When
     * a query value holds an '@' this also hides the host; acceptable for a string that is being rejected anyway.
     */
    static String redactUri(String s) {
        if (s == null) {
            return null;
        }
        int scheme = s.indexOf("://");
        int authStart = scheme < 0 ? 0 : scheme + 3;
        int at = s.lastIndexOf('@');
        int colon = -1;
        if (at >= authStart) {
            colon = s.indexOf(':', authStart);
            if (colon > at) {
                colon = -1;
            }
        }
        int query = s.indexOf('?', colon >= 0 ? at : authStart);
        return maskPasswordAssignments(redact(s, colon, at, query));
    }

    /**
     * Masks the value after any "...password =" left in a string that is not a URI at all, e.g. a libpq keyword
     * string {@code host=h password='x y'} put where a URL belongs. The value ends at whitespace or '&', or at the
     * closing quote if it is quoted.
     */
    private static String maskPasswordAssignments(String s) {
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        int from = 0;
        StringBuilder sb = null;
        int copied = 0;
        while (true) {
            int k = lower.indexOf("password", from);
            if (k < 0) {
                break;
            }
            int eq = k + 8;
            while (eq < s.length() && s.charAt(eq) == ' ') {
                eq++;
            }
            from = k + 8;
            if (eq >= s.length() || s.charAt(eq) != '=') {
                continue;
            }
            int v = eq + 1;
            while (v < s.length() && s.charAt(v) == ' ') {
                v++;
            }
            int end = v;
            if (v < s.length() && s.charAt(v) == '\'') {
                end = v + 1;
                while (end < s.length() && s.charAt(end) != '\'') {
                    end += s.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(end + 1, s.length());
            } else {
                while (end < s.length() && s.charAt(end) != '&' && !Character.isWhitespace(s.charAt(end))) {
                    end++;
                }
            }
            if (s.startsWith(MASK, v) && end == v + MASK.length()) {
                from = end;
                continue; // already masked
            }
            if (sb == null) {
                sb = new StringBuilder(s.length());
            }
            sb.append(s, copied, v).append(MASK);
            copied = end;
            from = end;
        }
        return sb == null ? s : sb.append(s, copied, s.length()).toString();
    }

    /**
     * @param colon index of the ':' before the password, or -1 if there is none
     * @param at    index of the '@' that ends the user info (used only if colon >= 0)
     * @param query index of the '?' that starts the query, or -1; after {@code at}
     */
    static String redact(String s, int colon, int at, int query) {
        int restEnd = query < 0 ? s.length() : query;
        StringBuilder sb = new StringBuilder(s.length() + 8);
        if (colon >= 0) {
            sb.append(s, 0, colon + 1).append(MASK).append(s, at, restEnd);
        } else {
            sb.append(s, 0, restEnd);
        }
        if (query >= 0) {
            sb.append('?');
            int i = query + 1;
            while (i <= s.length()) {
                int amp = s.indexOf('&', i);
                int end = amp < 0 ? s.length() : amp;
                int eq = s.indexOf('=', i);
                if (eq >= 0 && eq < end && isSecretKey(lenientDecode(s, i, eq))) {
                    sb.append(s, i, eq + 1).append(MASK);
                } else {
                    sb.append(s, i, end);
                }
                if (amp < 0) {
                    break;
                }
                sb.append('&');
                i = amp + 1;
            }
        }
        return sb.toString();
    }

    /** Decodes ASCII %XX escapes where valid and leaves everything else, so that pass%77ord is still recognised. */
    private static String lenientDecode(String s, int from, int to) {
        if (s.indexOf('%', from) < 0 || s.indexOf('%', from) >= to) {
            return s.substring(from, to);
        }
        StringBuilder sb = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < to) {
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi >= 0 && lo >= 0) {
                    sb.append((char) (hi << 4 | lo));
                    i += 2;
                    continue;
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
