package io.ferry.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SlotsTest {
    private static int slot(String k) {
        return Slots.of(k.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void matchesRedisClusterKeyslot() {
        // Values from CLUSTER KEYSLOT on a real Redis 7.0 node.
        assertThat(slot("a")).isEqualTo(15495);
        assertThat(slot("b")).isEqualTo(3300);
        assertThat(slot("c")).isEqualTo(7365);
        assertThat(slot("h")).isEqualTo(11694);
        assertThat(slot("123456789")).isEqualTo(12739); // 0x31C3, the CRC16/XMODEM check value
    }

    @Test
    void hashTagsFollowTheFirstBracePair() {
        assertThat(slot("{user1000}.following")).isEqualTo(slot("user1000"));
        // CLUSTER KEYSLOT on a real Redis 7.0 node: an empty tag hashes the whole key.
        assertThat(slot("foo{}{bar}")).isEqualTo(8363);
        assertThat(slot("foo{{bar}}zap")).isEqualTo(4015).isEqualTo(slot("{bar"));
        assertThat(slot("foo{bar}{zap}")).isEqualTo(5061).isEqualTo(slot("bar"));
        assertThat(slot("{")).isEqualTo(4092);
    }

    @Test
    void everySlotHasAShortTagThatHashesToIt() {
        for (int s = 0; s < Slots.COUNT; s++) {
            String tag = SlotTags.tag(s);
            assertThat(tag.length()).isBetween(1, 3);
            assertThat(slot("__ferry:{" + tag + "}")).isEqualTo(s);
        }
    }
}
