package io.poolagent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The conservative redaction used for strings that did not parse. */
class RedactionTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "postgresql://u:pw@h/d | postgresql://u:***@h/d",
            "postgresql://u@h/d | postgresql://u@h/d",
            "postgresql://h:5/d | postgresql://h:5/d",
            "postgresql://u:p/w@h/d | postgresql://u:***@h/d",
            "postgresql://u:p@w@h/d?x=1 | postgresql://u:***@h/d?x=1",
            "postgresql://h/d?password=pw&a=1&sslpassword=kp | postgresql://h/d?password=***&a=1&sslpassword=***",
            "postgresql://h/d?PASSWORD=pw | postgresql://h/d?PASSWORD=***",
            "postgresql://h/d?pass%77ord=pw | postgresql://h/d?pass%77ord=***",
            "postgresql://h/d?password=p@w | postgresql://h/d?password=***",
            // over-redaction when a query value holds an '@': the host is hidden too, never the other way round
            "postgresql://h:5/d?application_name=a@b | postgresql://h:***@b",
            // not a URI at all: a libpq keyword string
            "host=h password=pw user=u | host=h password=*** user=u",
            "host=h password = 'p w\\' x' user=u | host=h password = *** user=u",
            "jdbc:postgresql://h/d?user=u&password=pw | jdbc:postgresql://h/d?user=u&password=***",
            "postgresql://u:pw@h/d?password=*** | postgresql://u:***@h/d?password=***",
            "\"\" | \"\"",
    })
    void redactUri(String in, String out) {
        assertEquals(out, Redaction.redactUri(in));
    }

    @ParameterizedTest
    @CsvSource({"password, true", "sslpassword, true", "PassWord, true", "user, false", "sslkey, false"})
    void secretKeys(String key, boolean secret) {
        assertEquals(secret, Redaction.isSecretKey(key));
    }

    @org.junit.jupiter.api.Test
    void nullStaysNull() {
        assertNull(Redaction.redactUri(null));
    }
}
