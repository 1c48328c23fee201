package io.ferry.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Valkey 9 (VALKEY080) and Redis number types and opcodes alike up to a point: type 22 and
 * opcode 243 mean one thing under each magic. Each test reads split at every byte.
 */
class ValkeyNumberingTest {
    static final long AT = 4102444800123L;

    private static RdbBytes valkey() {
        return RdbBytes.magic("VALKEY080").aux("valkey-ver", "9.0.4");
    }

    @Test
    void type22UnderTheValkeyMagicIsHash2WithAbsoluteFieldExpiries() {
        byte[] rdb = valkey().selectDb(0)
                .key(RdbType.VALKEY_HASH_2, "h").len(3)
                .str("a").str("1").u64le(AT)
                .str("b").intStr(7).u64le(-1) // -1: no TTL
                .str(new byte[] {'b', 0}).str("x").u64le(AT + 1)
                .eof();
        assertThat(EveryChunking.transcript(rdb)).containsExactly("header 80 valkey", "aux 'valkey-ver'='9.0.4'", "db 0", "key db=0 'h' HASH_2",
                "  hash 'a' '1' ttl=" + AT, "  hash 'b' '7'", "  hash 'b\\x00' 'x' ttl=" + (AT + 1), "end");
    }

    @Test
    void type22UnderTheRedisMagicIsThe74ReleaseCandidateHash() {
        byte[] rdb = RdbBytes.redis(12).selectDb(0).key(22, "h").len(1).len(AT).str("a").str("1").eof();
        assertThat(EveryChunking.transcript(rdb)).containsExactly("header 12", "db 0", "key db=0 'h' HASH_METADATA_PRE_GA",
                "  hash 'a' '1' ttl=" + AT, "end");
    }

    @Test
    void opcode243UnderTheValkeyMagicIsASlotImportAnd244ForeignSlotInfo() {
        byte[] rdb = valkey().aux("slot-info", "0-16383").selectDb(0)
                .raw(RdbReader.OP_KEY_META_OR_SLOT_IMPORT).str("a".repeat(40)).len(2).len(0).len(99).len(200).len(16383)
                .raw(RdbReader.OP_SLOT_INFO).len(100).len(1).len(0)
                .stringKey("k", "v")
                .eof();
        assertThat(EveryChunking.transcript(rdb)).containsExactly("header 80 valkey", "aux 'valkey-ver'='9.0.4'", "aux 'slot-info'='0-16383'",
                "db 0", "key db=0 'k' STRING", "  = 'v'", "end");
    }

    @Test
    void typesValkeyDoesNotNumberStopWithTheirNumberAndOffset() {
        RdbBytes w = valkey().selectDb(0);
        int at = w.size();
        byte[] rdb = w.key(RdbType.HASH_METADATA, "h").len(0).eof(); // 24 is Redis 7.4's, not Valkey's
        assertThatThrownBy(() -> Recorder.decode(rdb)).isInstanceOf(UnknownRdbTypeException.class)
                .hasMessage("unknown RDB value type 24 (Valkey numbering, RDB version 80): written by a server newer than Ferry knows, or corrupt (at byte offset " + at + ")");
    }

    @Test
    void aZeroChecksumMeansTheServerSkippedIt() {
        byte[] rdb = valkey().selectDb(0).stringKey("k", "v").eofZeroChecksum();
        assertThat(EveryChunking.transcript(rdb)).endsWith("key db=0 'k' STRING", "  = 'v'", "end");
        byte[] redis = RdbBytes.redis(14).selectDb(0).stringKey("k", "v").eofZeroChecksum();
        assertThat(EveryChunking.transcript(redis)).endsWith("key db=0 'k' STRING", "  = 'v'", "end");
    }
}
