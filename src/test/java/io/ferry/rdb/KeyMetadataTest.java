package io.ferry.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Redis RDB 13's KEY_META opcode (243) before a key's type byte, after its EXPIRETIME_MS and
 * FREQ: class specs with opcode-tagged module values. And the aux fields of Redis 8.4's slot
 * migration, which are read and ignored. Each read is split at every byte.
 */
class KeyMetadataTest {
    /** KMT1 version 1 flags 1, as the upstream test module registers it. */
    static final int KMT1 = 683996425;
    static final int KMT2 = 683996697;

    private static RdbBytes meta(RdbBytes w, int spec, String value) {
        return w.u32le(spec).len(ModuleValue.OP_STRING).str(value).len(ModuleValue.OP_UINT).len(1)
                .len(ModuleValue.OP_FLOAT).u32le(Float.floatToIntBits(1.5f)).len(ModuleValue.OP_EOF);
    }

    @Test
    void metadataClassesGoWithTheKeyThatFollows() {
        RdbBytes w = RdbBytes.redis(13).aux("cluster-asm-task", "task-1").selectDb(0)
                .expireMs(4102444800123L).raw(RdbReader.OP_FREQ, 11).raw(RdbReader.OP_KEY_META_OR_SLOT_IMPORT).len(2);
        meta(w, KMT1, "h1");
        meta(w, KMT2, "h2");
        w.key(RdbType.STRING, "km").str("v").stringKey("plain", "x");
        assertThat(EveryChunking.transcript(w.eof())).containsExactly("header 13", "aux 'cluster-asm-task'='task-1'", "db 0",
                "key db=0 'km' STRING expire=4102444800123 freq=11",
                "  meta KMT1 v1 flags=1 string:'h1' uint:1 float:1.5",
                "  meta KMT2 v3 flags=1 string:'h2' uint:1 float:1.5",
                "  = 'v'",
                "key db=0 'plain' STRING", "  = 'x'", "end");
    }

    @Test
    void aDumpPayloadCarriesItsMetadataBeforeTheTypeAndIsNumberedByItsFooter() {
        RdbBytes body = RdbBytes.magic("").raw(RdbReader.OP_KEY_META_OR_SLOT_IMPORT).len(1);
        meta(body, KMT1, "meta-one").raw(RdbType.STRING).str("hello");
        DumpPayload p = DumpPayload.parse(dump(body.bytes(), 13, true));
        assertThat(p.rdbVersion()).isEqualTo(13);
        assertThat(p.keyMetadata()).hasSize(1);
        assertThat(p.keyMetadata().get(0).className()).isEqualTo("KMT1");
        assertThat(p.value().rdbType()).isEqualTo(RdbType.STRING);
        assertThat(RdbStrings.decode(p.value().bytes(), 1)).isEqualTo("hello".getBytes());

        // Valkey 9 stamps 80: its type 22 is HASH_2; a zero checksum is accepted.
        byte[] hash2 = RdbBytes.magic("").raw(22).len(1).str("f").str("v").u64le(-1).bytes();
        DumpPayload v = DumpPayload.parse(dump(hash2, 80, false));
        assertThat(v.value().rdbType()).isEqualTo(RdbType.VALKEY_HASH_2);
        assertThat(ElementCounter.of(v.value())).isEqualTo(1);
    }

    @Test
    void aDumpPayloadWithAWrongChecksumOrAnUnknownTypeIsRefused() {
        byte[] ok = dump(RdbBytes.magic("").raw(RdbType.STRING).str("x").bytes(), 14, true);
        ok[ok.length - 1] ^= 1;
        assertThatThrownBy(() -> DumpPayload.parse(ok)).isInstanceOf(RdbFormatException.class).hasMessageStartingWith("DUMP payload checksum mismatch");
        byte[] gcra = dump(RdbBytes.magic("").raw(29).len(0).bytes(), 14, true);
        assertThatThrownBy(() -> DumpPayload.parse(gcra)).isInstanceOf(UnknownRdbTypeException.class)
                .hasMessageStartingWith("unknown RDB value type 29 (Redis numbering, RDB version 14)");
    }

    /** A DUMP payload: body, 2-byte LE version, CRC-64 (or 0). */
    static byte[] dump(byte[] body, int version, boolean crc) {
        byte[] out = java.util.Arrays.copyOf(body, body.length + 10);
        out[body.length] = (byte) version;
        out[body.length + 1] = (byte) (version >>> 8);
        long c = crc ? Crc64.update(0, out, 0, body.length + 2) : 0;
        for (int i = 0; i < 8; i++) {
            out[body.length + 2 + i] = (byte) (c >>> (8 * i));
        }
        return out;
    }
}
