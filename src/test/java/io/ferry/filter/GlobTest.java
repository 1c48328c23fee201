package io.ferry.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Redis glob rules (KEYS / SCAN MATCH), which the filters reuse. */
class GlobTest {
    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource(delimiter = '|', value = {
        "*|anything|true",
        "*|''|true",
        "user:*|user:1|true",
        "user:*|users:1|false",
        "h?llo|hello|true",
        "h?llo|hllo|false",
        "h*llo|hllo|true",
        "h**llo|heeello|true",
        "h[ae]llo|hallo|true",
        "h[ae]llo|hillo|false",
        "h[^e]llo|hallo|true",
        "h[^e]llo|hello|false",
        "h[a-c]llo|hbllo|true",
        "h[a-c]llo|hdllo|false",
        "h[c-a]llo|hbllo|true",
        "h\\*llo|h*llo|true",
        "h\\*llo|hello|false",
        "h[\\]]llo|h]llo|true",
        "*:1|a:b:1|true",
        "a*b*c|axxbyyc|true",
        "a*b*c|axxbyy|false",
    })
    void matchesLikeRedis(String pattern, String key, boolean expected) {
        Glob g = new Glob(pattern.getBytes(StandardCharsets.UTF_8));
        assertThat(g.matches(key.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "+{0} -{1} {2} = {3}")
    @CsvSource(delimiter = '|', value = {"user:*|exclude:*|user:1|true", "user:*|user:9*|user:95|false", "''|tmp:*|tmp:1|false", "''|tmp:*|x|true"})
    void includesThenExcludes(String include, String exclude, String key, boolean expected) {
        KeyFilter f = new KeyFilter(java.util.Set.of(), include.isEmpty() ? java.util.List.of() : java.util.List.of(include),
                java.util.List.of(exclude), java.util.Set.of());
        assertThat(f.acceptsKey(key.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
    }
}
