package app.features;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The PASS/FAIL lines on stdout, one per check, printed as soon as a check is decided. */
final class Report {

    private int passed;
    private int failed;

    /** The body of one check: it records problems in the outcome, and may throw, which fails the check. */
    @FunctionalInterface
    interface Body {
        void run(Outcome o) throws Exception;
    }

    /** What one check found: no problems is a pass. */
    static final class Outcome {
        private final List<String> problems = new ArrayList<>();
        private String note;

        void require(boolean ok, String problem) {
            if (!ok) {
                problems.add(problem);
            }
        }

        void equal(String what, Object expected, Object actual) {
            require(Objects.equals(expected, actual), what + " is " + quote(actual) + ", expected " + quote(expected));
        }

        void same(String what, Object expected, Object actual) {
            require(expected == actual, what + " is " + identity(actual) + ", not " + identity(expected));
        }

        /** Appended to a PASS line: what was exercised (counts and the like). */
        void note(String text) {
            note = text;
        }

        boolean ok() {
            return problems.isEmpty();
        }
    }

    /** Runs one check and prints its line. */
    void check(String name, Body body) {
        Outcome o = new Outcome();
        try {
            body.run(o);
        } catch (Exception | AssertionError e) {
            o.problems.add(describe(e));
        }
        if (o.ok()) {
            pass(name, o.note);
        } else {
            fail(name, String.join("; ", o.problems));
        }
    }

    synchronized void pass(String name, String detail) {
        passed++;
        System.out.println("PASS " + name + (detail == null ? "" : ": " + oneLine(detail)));
        System.out.flush();
    }

    synchronized void fail(String name, String detail) {
        failed++;
        System.out.println("FAIL " + name + ": " + oneLine(detail));
        System.out.flush();
    }

    synchronized int passed() {
        return passed;
    }

    synchronized int failed() {
        return failed;
    }

    /** An exception as one line: type, message and SQLState, which tell a pool engineer what happened. */
    static String describe(Throwable e) {
        StringBuilder s = new StringBuilder(e.getClass().getName()).append(": ").append(e.getMessage());
        if (e instanceof SQLException sql && sql.getSQLState() != null) {
            s.append(" (SQLState ").append(sql.getSQLState()).append(')');
        }
        return s.toString();
    }

    static String identity(Object o) {
        return o == null ? "null" : o.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(o));
    }

    private static String quote(Object o) {
        return o instanceof String ? "'" + o + "'" : String.valueOf(o);
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }
}
