package io.ferry.source.pika.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The comparison rules of PIKA.md §8.4 / §9 on hand-made keys (no RocksDB needed). */
class PikaComparatorsTest {

    static KeyBytes kb(byte[] b) {
        return new KeyBytes(ByteBuffer.wrap(b));
    }

    private static byte[] bwScoreKey(String key, int version, double score, String member) {
        byte[] p = BwDataKey.prefix(PikaFixture.bytes(key), version);
        byte[] m = PikaFixture.bytes(member);
        byte[] out = java.util.Arrays.copyOf(p, p.length + 8 + m.length);
        Le.putI64(out, p.length, Double.doubleToRawLongBits(score));
        System.arraycopy(m, 0, out, p.length + 8, m.length);
        return out;
    }

    @Test
    void blackwidowListsKeyThenSignedVersionThenUnsignedIndex() {
        byte[] a = BwDataKey.listKey(PikaFixture.bytes("k"), 5, Long.MAX_VALUE);
        byte[] b = BwDataKey.listKey(PikaFixture.bytes("k"), 5, Long.MIN_VALUE); // 2^63: after 2^63 - 1 unsigned
        assertThat(BlackwidowListsDataKeyComparator.compareKeys(kb(a), kb(b))).isNegative();
        byte[] negVersion = BwDataKey.listKey(PikaFixture.bytes("k"), -1, 0);
        assertThat(BlackwidowListsDataKeyComparator.compareKeys(kb(negVersion), kb(a))).isNegative();
        // user key bytewise before length: "ab" < "b" although longer
        byte[] ab = BwDataKey.listKey(PikaFixture.bytes("ab"), 9, 0);
        byte[] bk = BwDataKey.listKey(PikaFixture.bytes("b"), 1, 0);
        assertThat(BlackwidowListsDataKeyComparator.compareKeys(kb(ab), kb(bk))).isNegative();
        // a key that ends after the version sorts first
        byte[] prefix = BwDataKey.prefix(PikaFixture.bytes("k"), 5);
        assertThat(BlackwidowListsDataKeyComparator.compareKeys(kb(prefix), kb(a))).isNegative();
        assertThat(BlackwidowListsDataKeyComparator.compareKeys(kb(a), kb(a.clone()))).isZero();
    }

    @Test
    void blackwidowScoresCompareAsDoublesAfterTheRawPrefix() {
        assertThat(BlackwidowZSetsScoreKeyComparator.compareKeys(kb(bwScoreKey("z", 1, -1.5, "b")), kb(bwScoreKey("z", 1, 0.5, "a")))).isNegative();
        assertThat(BlackwidowZSetsScoreKeyComparator.compareKeys(kb(bwScoreKey("z", 1, Double.NEGATIVE_INFINITY, "x")),
                kb(bwScoreKey("z", 1, -1e300, "a")))).isNegative();
        // -0.0 == 0.0: the member decides
        assertThat(BlackwidowZSetsScoreKeyComparator.compareKeys(kb(bwScoreKey("z", 1, 0.0, "a")), kb(bwScoreKey("z", 1, -0.0, "b")))).isNegative();
        // the length prefix is compared raw: a 1-byte key (01 00 00 00) before a 2-byte one (02 00 00 00) whatever the bytes
        assertThat(BlackwidowZSetsScoreKeyComparator.compareKeys(kb(bwScoreKey("z", 1, 0, "")), kb(bwScoreKey("aa", 1, 0, "")))).isNegative();
    }

    @Test
    void floydListsAndScores() {
        byte[] a = FloydDataKey.listKey(PikaFixture.bytes("k\u0000"), 7, 3);
        byte[] b = FloydDataKey.listKey(PikaFixture.bytes("k\u0000"), 7, -1);
        assertThat(FloydListsDataKeyComparator.compareKeys(kb(a), kb(b))).isNegative();
        byte[] shorter = FloydDataKey.listKey(PikaFixture.bytes("k"), 9, 0);
        assertThat(FloydListsDataKeyComparator.compareKeys(kb(shorter), kb(a))).isNegative();
        byte[] p = FloydDataKey.prefix(PikaFixture.bytes("z"), 2);
        byte[] s1 = java.util.Arrays.copyOf(p, p.length + 8 + 1 + 16);
        byte[] s2 = s1.clone();
        Le.putI64(s1, p.length, Double.doubleToRawLongBits(-2));
        Le.putI64(s2, p.length, Double.doubleToRawLongBits(1));
        s1[p.length + 8] = 'z';
        s2[p.length + 8] = 'a';
        assertThat(FloydZSetsScoreKeyComparator.compareKeys(kb(s1), kb(s2))).isNegative();
        assertThat(FloydZSetsScoreKeyComparator.compareKeys(kb(s2), kb(s1))).isPositive();
    }

    @Test
    void floydNamesEscapeNulAndRejectCorruptedRows() {
        byte[] row = java.util.Arrays.copyOf(FloydKey.rowPrefix(PikaFixture.bytes("a\u0000b")), 8 + 6 + 16);
        FloydKey k = FloydKey.decodeMeta(row);
        assertThat(PikaFixture.str(k.userKey())).isEqualTo("a\u0000b");
        // 4.0.1's corrupted NUL-byte name: terminator followed by 16 reserve bytes and a stray byte
        byte[] corrupted = PikaFixture.hex("000000000000000062696e3a6b65793a00010001000000000000000000000000000000000000000078");
        assertThat(FloydKey.decodeMeta(corrupted)).isNull();
    }

    @Test
    void policyParsing() {
        assertThat(TypeConflictPolicy.parse("Suffix")).isEqualTo(TypeConflictPolicy.SUFFIX);
        assertThat(TypeConflictPolicy.parse("first")).isEqualTo(TypeConflictPolicy.FIRST);
        assertThat(TypeConflictPolicy.parse(" skip ")).isEqualTo(TypeConflictPolicy.SKIP);
        assertThatThrownBy(() -> TypeConflictPolicy.parse("fail")).isInstanceOf(IllegalArgumentException.class);
        assertThat(PikaType.values()).extracting(PikaType::typeName).containsExactly("string", "hash", "list", "zset", "set", "stream");
    }
}
