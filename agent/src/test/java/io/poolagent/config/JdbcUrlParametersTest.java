package io.poolagent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JdbcUrlParametersTest {

    @Test
    void briefExample() {
        JdbcUrlParameters p = JdbcUrlParameters.split("jdbc:postgresql://h:5432/db?user=a&connection_limit=5&ssl=true");
        assertEquals("jdbc:postgresql://h:5432/db?user=a&ssl=true", p.url());
        assertEquals(Map.of("connection_limit", "5"), p.poolParameters());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // at the start, in the middle, at the end, alone, all of them
            "jdbc:postgresql://h/db?connection_limit=5&user=a&ssl=true | jdbc:postgresql://h/db?user=a&ssl=true",
            "jdbc:postgresql://h/db?user=a&pool_timeout=2&ssl=true | jdbc:postgresql://h/db?user=a&ssl=true",
            "jdbc:postgresql://h/db?user=a&ssl=true&connect_timeout=3 | jdbc:postgresql://h/db?user=a&ssl=true",
            "jdbc:postgresql://h/db?connection_limit=5 | jdbc:postgresql://h/db",
            "jdbc:postgresql://h/db?connection_limit=5&pool_timeout=2&connect_timeout=3 | jdbc:postgresql://h/db",
            "jdbc:postgresql://h/db?a=1&connection_limit=5&b=%20x+y&pool_timeout=2 | jdbc:postgresql://h/db?a=1&b=%20x+y",
            "jdbc:postgresql://h/db?connection_limit=5&&a=1& | jdbc:postgresql://h/db?a=1",
            "jdbc:mysql://h/db?connection_limit=5&useSSL=false | jdbc:mysql://h/db?useSSL=false",
    })
    void poolKeysAreRemovedAndTheRestKept(String in, String out) {
        assertEquals(out, JdbcUrlParameters.split(in).url());
    }

    @Test
    void valuesAreDecodedAndOrderKept() {
        JdbcUrlParameters p = JdbcUrlParameters.split(
                "jdbc:postgresql://h/db?pool_timeout=0%2E5&x=1&connection_limit=5&connect_timeout=+7");
        assertEquals(List.of("pool_timeout", "connection_limit", "connect_timeout"),
                List.copyOf(p.poolParameters().keySet()));
        assertEquals(Map.of("pool_timeout", "0.5", "connection_limit", "5", "connect_timeout", " 7"),
                p.poolParameters());
        assertEquals("jdbc:postgresql://h/db?x=1", p.url());
    }

    @Test
    void prismasLifetimeNamesAreTakenOutAsTheKeysTheyStandFor() {
        JdbcUrlParameters p = JdbcUrlParameters.split(
                "jdbc:postgresql://h/db?max_idle_connection_lifetime=60&ssl=true&max_connection_lifetime=600");
        assertEquals("jdbc:postgresql://h/db?ssl=true", p.url());
        assertEquals(Map.of("idle_timeout", "60", "max_lifetime", "600"), p.poolParameters());
        assertEquals(Map.of("idle_timeout", "30"),
                JdbcUrlParameters.split("jdbc:postgresql://h/db?max_idle_connection_lifetime=60&idle_timeout=30")
                        .poolParameters(), "the last of a key and its alias wins");
    }

    @Test
    void lastValueWinsAndBareKeyIsEmpty() {
        JdbcUrlParameters p = JdbcUrlParameters.split("jdbc:postgresql://h/db?connection_limit=5&connection_limit=7");
        assertEquals(Map.of("connection_limit", "7"), p.poolParameters());
        JdbcUrlParameters q = JdbcUrlParameters.split("jdbc:postgresql://h/db?connection_limit&a=1");
        assertEquals(Map.of("connection_limit", ""), q.poolParameters());
        assertEquals("jdbc:postgresql://h/db?a=1", q.url());
    }

    @Test
    void invalidPercentEncodingIsKeptAsWritten() {
        JdbcUrlParameters p = JdbcUrlParameters.split("jdbc:postgresql://h/db?connection_limit=%zz");
        assertEquals(Map.of("connection_limit", "%zz"), p.poolParameters());
    }

    @Test
    void similarNamesAreNotPoolKeys() {
        String url = "jdbc:postgresql://h/db?connection_limits=5&xconnection_limit=1&Connection_Limit=2&pool_timeou=3";
        JdbcUrlParameters p = JdbcUrlParameters.split(url);
        assertSame(url, p.url());
        assertEquals(Map.of(), p.poolParameters());
    }

    @Test
    void noQueryReturnsTheSameString() {
        String url = "jdbc:postgresql://h:5432/db";
        JdbcUrlParameters p = JdbcUrlParameters.split(url);
        assertSame(url, p.url());
        assertEquals(Map.of(), p.poolParameters());
    }

    @Test
    void queryWithoutPoolKeysReturnsTheSameString() {
        String url = "jdbc:postgresql://h:5432/db?user=a&ssl=true";
        assertSame(url, JdbcUrlParameters.split(url).url());
    }

    @Test
    void h2StyleUrlIsUntouched() {
        String url = "jdbc:h2:mem:x;MODE=PostgreSQL;connection_limit=5";
        JdbcUrlParameters p = JdbcUrlParameters.split(url);
        assertSame(url, p.url());
        assertEquals(Map.of(), p.poolParameters());
    }

    @Test
    void nullIsReturnedAsIs() {
        JdbcUrlParameters p = JdbcUrlParameters.split(null);
        assertNull(p.url());
        assertEquals(Map.of(), p.poolParameters());
    }
}
