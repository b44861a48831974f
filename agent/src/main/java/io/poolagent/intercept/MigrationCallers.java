package io.poolagent.intercept;

import java.util.List;

/**
 * Finds a migration tool (Flyway, Liquibase, or a class-name prefix the user named) among the callers of a connect,
 * with one StackWalker walk over the innermost frames. Only used when DIRECT_URL is set, so that without it the
 * connect path never walks the stack.
 */
final class MigrationCallers {

    /** Migration tools call JDBC a few dozen frames above their entry point; this bounds the walk's cost. */
    static final int MAX_FRAMES = 128;

    private static final StackWalker WALKER = StackWalker.getInstance();

    private final String[] prefixes;

    MigrationCallers(List<String> prefixes) {
        this.prefixes = prefixes.toArray(String[]::new);
    }

    /** The class name of the innermost caller frame that belongs to a migration tool, or null. */
    String find() {
        return WALKER.walk(frames -> frames.limit(MAX_FRAMES)
                .map(StackWalker.StackFrame::getClassName)
                .filter(this::matches)
                .findFirst()
                .orElse(null));
    }

    boolean matches(String className) {
        for (String p : prefixes) {
            if (className.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
