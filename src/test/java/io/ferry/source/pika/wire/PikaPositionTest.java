package io.ferry.source.pika.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PikaPositionTest {
    record Triple(long filenum, long offset, int sub) {}

    static final Comparator<Triple> LEX = Comparator.comparingLong(Triple::filenum).thenComparingLong(Triple::offset).thenComparingInt(Triple::sub);

    static Triple random(Random r) {
        // mix extremes and small values so equal filenums/offsets occur often
        long f = switch (r.nextInt(3)) { case 0 -> r.nextInt(3); case 1 -> PikaPosition.MAX_FILENUM - r.nextInt(2); default -> r.nextLong(PikaPosition.MAX_FILENUM + 1); };
        long o = switch (r.nextInt(3)) { case 0 -> r.nextInt(3); case 1 -> PikaPosition.MAX_OFFSET - r.nextInt(2); default -> r.nextLong(PikaPosition.MAX_OFFSET + 1); };
        return new Triple(f, o, r.nextInt(3) == 0 ? 0 : r.nextInt(PikaPosition.MAX_SUB + 1));
    }

    static long pos(Triple t) {
        long b = PikaPosition.of(t.filenum, t.offset);
        return t.sub == 0 ? b : PikaPosition.sub(b, t.sub);
    }

    @Test
    void orderingIsFilenumOffsetSubOrderingAndFieldsRoundTrip() {
        Random r = new Random(20261201);
        for (int i = 0; i < 200_000; i++) {
            Triple a = random(r), b = random(r);
            long pa = pos(a), pb = pos(b);
            assertThat(Integer.signum(Long.compare(pa, pb))).as(a + " vs " + b).isEqualTo(Integer.signum(LEX.compare(a, b)));
            assertThat(new Triple(PikaPosition.filenum(pa), PikaPosition.offset(pa), PikaPosition.subOf(pa))).isEqualTo(a);
            assertThat(PikaPosition.boundary(pa)).isEqualTo(PikaPosition.of(a.filenum, a.offset));
            assertThat(pa).isNotNegative();
        }
    }

    @Test
    void limitsDescribeAndOffsets() {
        assertThatThrownBy(() -> PikaPosition.of(PikaPosition.MAX_FILENUM + 1, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MAX_FILENUM");
        assertThatThrownBy(() -> PikaPosition.of(0, PikaPosition.MAX_OFFSET + 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MAX_OFFSET");
        assertThatThrownBy(() -> PikaPosition.of(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        long b = PikaPosition.of(3, 1050);
        assertThatThrownBy(() -> PikaPosition.sub(b, 0)).hasMessageContaining("MAX_SUB");
        assertThatThrownBy(() -> PikaPosition.sub(b, 256)).hasMessageContaining("MAX_SUB");
        assertThatThrownBy(() -> PikaPosition.sub(PikaPosition.sub(b, 1), 2)).isInstanceOf(IllegalArgumentException.class);
        assertThat(PikaPosition.describe(b)).isEqualTo("3/1050");
        assertThat(PikaPosition.describe(PikaPosition.sub(b, 2))).isEqualTo("3/1050+2");
        assertThat(PikaPosition.toOffset(PikaPosition.sub(b, 2))).isEqualTo(BinlogOffset.of(3, 1050));
        assertThat(PikaPosition.sub(b, 255)).isLessThan(PikaPosition.of(3, 1051));
        long max = PikaPosition.sub(PikaPosition.of(PikaPosition.MAX_FILENUM, PikaPosition.MAX_OFFSET), PikaPosition.MAX_SUB);
        assertThat(max).isEqualTo(Long.MAX_VALUE);
        assertThat(BinlogOffset.of(0, 0).isZero()).isTrue();
        assertThat(BinlogOffset.of(0, 1).isZero()).isFalse();
    }
}
