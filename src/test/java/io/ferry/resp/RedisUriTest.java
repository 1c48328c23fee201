package io.ferry.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedisUriTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            // input                                 | host        | port | user  | password     | db   | tls
            "redis://localhost                       | localhost   | 6379 | null  | null         | null | false",
            "redis://h:6380/2                        | h           | 6380 | null  | null         | 2    | false",
            "rediss://alice:p%40ss@h:6380/0          | h           | 6380 | alice | p@ss         | 0    | true",
            "redis://:secret@h                       | h           | 6379 | null  | secret       | null | false",
            "redis://secret@h:1                      | h           | 1    | null  | secret       | null | false",
            "redis://alice:@h                        | h           | 6379 | alice | null         | null | false",
            "h:7000                                  | h           | 7000 | null  | null         | null | false",
            "10.0.0.5                                | 10.0.0.5    | 6379 | null  | null         | null | false",
            "redis://[::1]:7000/3                    | ::1         | 7000 | null  | null         | 3    | false",
            "[fe80::1]                               | fe80::1     | 6379 | null  | null         | null | false",
            "REDISS://H:65535/                       | H           | 65535| null  | null         | null | true",
            "redis://u:pa@ss/w:rd@h:1/1              | h           | 1    | u     | pa@ss/w:rd   | 1    | false",
            "redis://u%3Ax:a+b%20c%25@h              | h           | 6379 | u:x   | a+b c%       | null | false",
            "redis://u:%C3%A9t%C3%A9@h               | h           | 6379 | u     | \u00e9t\u00e9 | null | false",
    })
    void parses(String input, String host, int port, String user, String password, Integer db, boolean tls) {
        RedisUri uri = RedisUri.parse(input);
        assertThat(uri.host()).isEqualTo(host);
        assertThat(uri.port()).isEqualTo(port);
        assertThat(uri.user()).isEqualTo(user);
        assertThat(uri.password()).isEqualTo(password);
        assertThat(uri.db()).isEqualTo(db);
        assertThat(uri.tls()).isEqualTo(tls);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "''                          | Redis URI is empty",
            "'   '                       | Redis URI is empty",
            "http://h:1                  | unsupported scheme 'http'",
            "redis://                    | missing host",
            "redis://:6379               | missing host",
            "redis://u:pw@               | missing host",
            "redis://h:0                 | port '0' is not a number within 1-65535",
            "redis://h:65536             | port '65536'",
            "redis://h:abc               | port 'abc'",
            "redis://h:                  | port ''",
            "redis://h/x                 | database 'x'",
            "redis://h/-1                | database '-1'",
            "redis://h/1/2               | database '1/2'",
            "redis://h?db=1              | query parameters are not supported",
            "redis://[::1                | missing ']'",
            "redis://[::1]x              | unexpected 'x' after IPv6 address",
            "redis://::1:6379            | IPv6 addresses must be written in brackets",
    })
    void rejectsMalformedInputClearly(String input, String problem) {
        assertThatThrownBy(() -> RedisUri.parse(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(problem);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "redis://u:Sup3rS3cret@h:abc", "redis://Sup3rS3cret@h:99999", "redis://u:bad%zzSup3rS3cret@h",
            "redis://u:Sup3rS3cret%@h", "redis://:Sup3rS3cret@h/x", "redis://u:%ff%feSup3rS3cret@h"})
    void errorMessagesNeverShowThePassword(String input) {
        assertThatThrownBy(() -> RedisUri.parse(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("***")
                .hasMessageNotContaining("Sup3rS3cret");
    }

    @Test
    void badPercentEncodingNamesTheFix() {
        assertThatThrownBy(() -> RedisUri.parse("redis://u:100%@h"))
                .hasMessageContaining("bad percent-encoding in the password (write a literal '%' as %25)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "redis://alice:Sup3rS3cret@h:1/2 | redis://alice:***@h:1/2",
            "rediss://:Sup3rS3cret@h         | rediss://:***@h:6379",
            "redis://Sup3rS3cret@[::1]:7000  | redis://:***@[::1]:7000",
            "h                               | redis://h:6379",
            "redis://al%20ice:@h             | redis://al%20ice:@h:6379",
    })
    void toStringAndRedactedHideThePassword(String input, String expected) {
        RedisUri uri = RedisUri.parse(input);
        assertThat(uri.redacted()).isEqualTo(expected).doesNotContain("Sup3rS3cret");
        assertThat(uri.toString()).isEqualTo(expected);
    }

    @Test
    void redactedFormParsesBackToTheSameAddress() {
        RedisUri uri = RedisUri.parse("rediss://b%40b:pw@[::1]:7000/5");
        RedisUri back = RedisUri.parse(uri.redacted());
        assertThat(back.host()).isEqualTo("::1");
        assertThat(back.port()).isEqualTo(7000);
        assertThat(back.user()).isEqualTo("b@b");
        assertThat(back.db()).isEqualTo(5);
        assertThat(back.tls()).isTrue();
    }

    @Test
    void hostPortBracketsIpv6() {
        assertThat(RedisUri.parse("redis://[::1]:7000").hostPort()).isEqualTo("[::1]:7000");
        assertThat(RedisUri.parse("h").hostPort()).isEqualTo("h:6379");
    }

    @Test
    void constructorValidates() {
        assertThatThrownBy(() -> new RedisUri("", 1, null, null, null, false)).hasMessageContaining("host");
        assertThatThrownBy(() -> new RedisUri("h", 70000, null, null, null, false)).hasMessageContaining("70000");
        assertThatThrownBy(() -> new RedisUri("h", 1, null, null, -1, false)).hasMessageContaining("-1");
    }

    @Test
    void equalityIncludesEveryField() {
        assertThat(RedisUri.parse("redis://u:p@h:1/2")).isEqualTo(new RedisUri("h", 1, "u", "p", 2, false))
                .isNotEqualTo(new RedisUri("h", 1, "u", "q", 2, false));
        assertThat(RedisUri.parse("h").withDb(4).db()).isEqualTo(4);
    }

    @Test
    void atNodeKeepsCredentialsTlsAndDb() {
        RedisUri seed = RedisUri.parse("rediss://u:p@seed:7000/3");
        assertThat(seed.atNode("10.0.0.2:7001")).isEqualTo(new RedisUri("10.0.0.2", 7001, "u", "p", 3, true));
        assertThat(seed.atNode("::1:7002")).isEqualTo(new RedisUri("::1", 7002, "u", "p", 3, true));
    }
}
