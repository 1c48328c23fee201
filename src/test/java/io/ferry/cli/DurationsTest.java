package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void parsesUnitsAndBareSeconds() {
        assertThat(Durations.parse("--x", "2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(Durations.parse("--x", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("--x", "1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("--x", "5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("--x", "1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("--x", "3")).isEqualTo(Duration.ofSeconds(3));
        assertThat(Durations.parse("--x", "0")).isEqualTo(Duration.ZERO);
        assertThat(Durations.parse("--x", " 250MS ")).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void rejectsNonsense() {
        for (String bad : new String[] {"", "s", "soon", "-1s", "1d", "NaNs"}) {
            assertThatThrownBy(() -> Durations.parse("--ttl-tolerance", bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--ttl-tolerance");
        }
    }
}
