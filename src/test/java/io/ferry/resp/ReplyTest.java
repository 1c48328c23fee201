package io.ferry.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyTest {

    @Test
    void scalarsConvertBetweenTextNumbersAndBytes() {
        assertThat(Reply.simple("OK").asString()).isEqualTo("OK");
        assertThat(Reply.simple("42").asLong()).isEqualTo(42);
        assertThat(Reply.integer(-7).asString()).isEqualTo("-7");
        assertThat(Reply.integer(5).asBytes()).isEqualTo("5".getBytes(StandardCharsets.US_ASCII));
        assertThat(Reply.bulk("123").asLong()).isEqualTo(123);
        assertThat(Reply.bulk("h\u00e9").asString()).isEqualTo("h\u00e9");
        assertThat(Reply.bulk("h\u00e9").asBytes()).isEqualTo("h\u00e9".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void nullsStayNull() {
        assertThat(Reply.NULL_BULK.isNull()).isTrue();
        assertThat(Reply.NULL_BULK.asString()).isNull();
        assertThat(Reply.NULL_BULK.asBytes()).isNull();
        assertThat(Reply.NULL_ARRAY.isNull()).isTrue();
        assertThat(Reply.NULL_ARRAY.asList()).isNull();
        assertThat(Reply.bulk((byte[]) null)).isSameAs(Reply.NULL_BULK);
        assertThat(Reply.EMPTY_ARRAY.isNull()).isFalse();
        assertThat(Reply.bulk("").isNull()).isFalse();
    }

    @Test
    void errorRepliesThrowWhenUsedAsValues() {
        Reply e = Reply.error("WRONGTYPE Operation against a key holding the wrong kind of value");
        assertThat(e.isError()).isTrue();
        assertThat(Reply.OK.isError()).isFalse();
        assertThatThrownBy(e::asString).isInstanceOfSatisfying(ServerErrorException.class, x -> {
            assertThat(x.code()).isEqualTo("WRONGTYPE");
            assertThat(x).hasMessage("WRONGTYPE Operation against a key holding the wrong kind of value");
        });
        assertThatThrownBy(e::asLong).isInstanceOf(ServerErrorException.class);
        assertThatThrownBy(e::asBytes).isInstanceOf(ServerErrorException.class);
        assertThatThrownBy(e::asList).isInstanceOf(ServerErrorException.class);
    }

    @Test
    void typeMismatchesAreReported() {
        assertThatThrownBy(() -> Reply.bulk("abc").asLong()).isInstanceOf(IllegalStateException.class).hasMessageContaining("abc");
        assertThatThrownBy(() -> Reply.EMPTY_ARRAY.asString()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Reply.OK.asList()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Reply.NULL_BULK.asLong()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void arraysExposeTheirItems() {
        Reply a = Reply.array(List.of(Reply.integer(1), Reply.bulk("x")));
        assertThat(a.asList()).containsExactly(Reply.integer(1), Reply.bulk("x"));
    }

    @Test
    void bulkEqualityIsByContent() {
        assertThat(Reply.bulk(new byte[] {1, 2})).isEqualTo(Reply.bulk(new byte[] {1, 2}))
                .hasSameHashCodeAs(Reply.bulk(new byte[] {1, 2}));
        assertThat(Reply.bulk(new byte[] {1, 2})).isNotEqualTo(Reply.bulk(new byte[] {1, 3}));
    }

    @Test
    void smallIntegersAreSharedLargeOnesAreEqual() {
        assertThat(Reply.integer(-1)).isSameAs(Reply.integer(-1));
        assertThat(Reply.integer(1024)).isSameAs(Reply.integer(1024));
        assertThat(Reply.integer(1_000_000)).isEqualTo(Reply.integer(1_000_000));
        assertThat(Reply.integer(1025).asLong()).isEqualTo(1025);
    }
}
