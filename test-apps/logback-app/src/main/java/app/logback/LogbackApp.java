package app.logback;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * An application with logging of its own: slf4j 1.7 and logback 1.2, configured by its logback.xml. It connects
 * through DriverManager once per step, as connect-per-request apps do, logs what it does and prints
 * {@code RESULT sum=<n>}. It knows nothing of the agent.
 */
public final class LogbackApp {

    private static final Logger LOG = LoggerFactory.getLogger(LogbackApp.class);
    private static final int STEPS = 5;

    private LogbackApp() {
    }

    public static void main(String[] args) throws Exception {
        LOG.info("starting; slf4j is bound to {}", LoggerFactory.getILoggerFactory().getClass().getName());
        URI uri = URI.create(System.getenv("DATABASE_URL"));
        String[] userInfo = uri.getRawUserInfo().split(":", 2);
        String user = decode(userInfo[0]);
        String password = decode(userInfo[1]);
        String jdbcUrl = "jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getRawPath();
        long sum = 0;
        for (int i = 1; i <= STEPS; i++) {
            try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
                 PreparedStatement ps = c.prepareStatement("SELECT ? * ?")) {
                ps.setInt(1, i);
                ps.setInt(2, i);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    LOG.info("step {}: {} squared is {}", i, i, rs.getInt(1));
                    sum += rs.getInt(1);
                }
            }
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
            c.createStatement().execute("SELECT no_such_column");
        } catch (SQLException e) {
            LOG.warn("a failing query, as expected: SQLSTATE {}", e.getSQLState());
        }
        LOG.debug("a debug line the app's own configuration hides");
        System.out.println("RESULT sum=" + sum);
        LOG.info("done");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
