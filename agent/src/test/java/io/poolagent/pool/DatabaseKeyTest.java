package io.poolagent.pool;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DatabaseKeyTest {

    @Test
    void postgresKeysAreHostPortAndDatabase() {
        assertEquals("db:5432/app", DatabaseKey.of("jdbc:postgresql://db/app?user=x&password=y", (String) null));
        assertEquals("db:6543/app", DatabaseKey.of("jdbc:postgresql://DB:6543/app", (String) null));
        assertEquals("h1:5432,h2:5433/app", DatabaseKey.of("jdbc:postgresql://h1,h2:5433/app", (String) null));
        assertEquals("[::1]:5432/app", DatabaseKey.of("jdbc:postgresql://[::1]/app", (String) null));
        assertEquals("localhost:5432/app", DatabaseKey.of("jdbc:postgresql:app", (String) null));
        Properties user = new Properties();
        user.setProperty("user", "alice");
        assertEquals("db:5432/alice", DatabaseKey.of("jdbc:postgresql://db/", user), "pgjdbc's default database");
    }

    @Test
    void theDatabaseNameIsDecodedAsPgjdbcDecodesItButAUserNameStandingInForItIsNot() {
        assertEquals("db:5432/my db", DatabaseKey.of("jdbc:postgresql://db/my%20db", (String) null));
        assertEquals("db:5432/a+b", DatabaseKey.of("jdbc:postgresql://db/", "a+b"));
    }

    @Test
    void otherUrlsLoseCredentialsAndOptions() {
        assertEquals("h2:mem:app", DatabaseKey.of("jdbc:h2:mem:app;DB_CLOSE_DELAY=-1", (String) null));
        assertEquals("mysql://db:3306/app", DatabaseKey.of("jdbc:mysql://u:p@db:3306/app?ssl=true", (String) null));
    }
}
