package io.ferry.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Redis 7.4 hashes with field TTLs: HASH_METADATA (hashtable) and HASH_LISTPACK_EX (listpack). */
class HashFieldTtlTest {
    static final long MIN = 1800000000000L;

    @Test
    void hashMetadataStoresTtlsRelativeToTheMinimum() {
        // Each field's TTL is written as (expire - minExpire + 1), 0 meaning none.
        byte[] rdb = RdbBytes.redis(12).selectDb(0)
                .key(RdbType.HASH_METADATA, "h").u64le(MIN).len(3)
                .len(1).str("soonest").str("v1")
                .len(0).str("forever").str("v2")
                .len(60001).str("later").intStr(7)
                .eof();
        assertThat(EveryChunking.transcript(rdb)).containsExactly("header 12", "db 0", "key db=0 'h' HASH_METADATA",
                "  hash 'soonest' 'v1' ttl=" + MIN,
                "  hash 'forever' 'v2'",
                "  hash 'later' '7' ttl=" + (MIN + 60000),
                "end");
    }

    @Test
    void hashListpackExStoresAbsoluteTtlsInTriples() {
        byte[] lp = new ListpackBytes()
                .str("a").str("1x").integer(MIN + 5)
                .str("b").integer(2).integer(0) // 0: no TTL
                .str("c").str("").integer(MIN)
                .build();
        byte[] rdb = RdbBytes.redis(12).selectDb(0).expireMs(MIN + 1000)
                .key(RdbType.HASH_LISTPACK_EX, "h").u64le(MIN).str(lp)
                .eof();
        assertThat(EveryChunking.transcript(rdb)).containsExactly("header 12", "db 0",
                "key db=0 'h' HASH_LISTPACK_EX expire=" + (MIN + 1000),
                "  hash 'a' '1x' ttl=" + (MIN + 5),
                "  hash 'b' '2'",
                "  hash 'c' '' ttl=" + MIN,
                "end");
    }

    @Test
    void preReleaseFormsHaveNoMinimumAndAbsoluteTtls() {
        // Redis 7.4 release candidates (types 22 and 23): no minExpire, TTLs absolute.
        byte[] lp = new ListpackBytes().str("a").str("1").integer(MIN + 5).build();
        byte[] rdb = RdbBytes.redis(12).selectDb(0)
                .key(RdbType.HASH_METADATA_PRE_GA, "m").len(1).len(MIN + 9).str("f").str("v")
                .key(RdbType.HASH_LISTPACK_EX_PRE_GA, "l").str(lp)
                .eof();
        assertThat(EveryChunking.transcript(rdb)).containsExactly("header 12", "db 0",
                "key db=0 'm' HASH_METADATA_PRE_GA", "  hash 'f' 'v' ttl=" + (MIN + 9),
                "key db=0 'l' HASH_LISTPACK_EX_PRE_GA", "  hash 'a' '1' ttl=" + (MIN + 5),
                "end");
    }

    @Test
    void listpackExWithoutItsTtlIsCorrupt() {
        byte[] lp = new ListpackBytes().str("a").str("1").build();
        RdbBytes w = RdbBytes.redis(12).selectDb(0);
        int at = w.size();
        byte[] rdb = w.key(RdbType.HASH_LISTPACK_EX, "h").u64le(MIN).str(lp).eof();
        assertThatThrownBy(() -> Recorder.decode(rdb)).isInstanceOf(RdbFormatException.class)
                .hasMessage("corrupt HASH_LISTPACK_EX value of key 'h' in db 0: hash listpack-ex entry without its TTL (at byte offset " + at + ")");
    }
}
