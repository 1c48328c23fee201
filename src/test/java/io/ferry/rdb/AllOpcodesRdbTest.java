package io.ferry.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A hand-built RDB 12 holding every opcode a server writes (AUX, MODULE_AUX, FUNCTION2,
 * SELECTDB, RESIZEDB, SLOT_INFO, EXPIRETIME, EXPIRETIME_MS, IDLE, FREQ, EOF with CRC) and a
 * MODULE_2 value, decoded whole, one byte at a time and split at every byte.
 */
class AllOpcodesRdbTest {
    private static final String CHARSET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /** A module type id: the 9-character name in 6-bit symbols, then a 10-bit encoding version. */
    static long moduleId(String name, int encver) {
        long id = 0;
        for (char c : name.toCharArray()) {
            id = id << 6 | CHARSET.indexOf(c);
        }
        return id << 10 | encver;
    }

    /** A module value body: one of each module opcode, then EOF. */
    static RdbBytes moduleBody(RdbBytes w) {
        return w.len(ModuleValue.OP_SINT).len(42)
                .len(ModuleValue.OP_UINT).len(1L << 40)
                .len(ModuleValue.OP_FLOAT).u32le(Float.floatToIntBits(1.5f))
                .len(ModuleValue.OP_DOUBLE).u64le(Double.doubleToLongBits(2.25))
                .len(ModuleValue.OP_STRING).str("module string")
                .len(ModuleValue.OP_EOF);
    }

    static final long MODULE = moduleId("ferry-mod", 3);
    static final int[] VALUE_RANGE = new int[2]; // where the module key's value bytes lie

    static byte[] everyOpcode() {
        RdbBytes w = RdbBytes.redis(12)
                .aux("redis-ver", "7.4.1")
                .raw(RdbReader.OP_AUX).str("ctime").intStr(1700000000)
                .raw(RdbReader.OP_MODULE_AUX).len64(MODULE).len(ModuleValue.OP_UINT).len(2);
        moduleBody(w)
                .raw(RdbReader.OP_FUNCTION2).str("#!lua name=mylib\nredis.register_function('f', function() return 1 end)")
                .selectDb(0)
                .resizeDb(6, 3)
                .raw(RdbReader.OP_SLOT_INFO).len(1234).len(6).len(3)
                .expireSeconds(1700000000).stringKey("sec", "a")
                .expireMs(1700000000123L).raw(RdbReader.OP_IDLE).len(3600).stringKey("ms+idle", "b")
                .raw(RdbReader.OP_FREQ).raw(200).stringKey("freq", "c")
                .stringKey("plain", "d"); // no expiry/idle/freq carried over from the keys before
        w.key(RdbType.MODULE_2, "mod");
        VALUE_RANGE[0] = w.size();
        moduleBody(w.len64(MODULE));
        VALUE_RANGE[1] = w.size();
        return w.raw(RdbReader.OP_FREQ).raw(5).raw(RdbReader.OP_EXPIRETIME_MS).u64le(1800000000000L).stringKey("both", "e")
                .selectDb(3).resizeDb(1, 0)
                .stringKey("in-db-3", "f")
                .eof();
    }

    @Test
    void everyOpcodeUnderEveryChunking() {
        byte[] rdb = everyOpcode();
        assertThat(EveryChunking.transcript(rdb)).containsExactly(
                "header 12",
                "aux 'redis-ver'='7.4.1'",
                "aux 'ctime'='1700000000'",
                "module-aux ferry-mod " + Long.toHexString(MODULE),
                "function '#!lua name=mylib\\x0aredis.register_function('f', function() return 1 end)'",
                "db 0",
                "resize 6 3",
                "key db=0 'sec' STRING expire=1700000000000", "  = 'a'",
                "key db=0 'ms+idle' STRING expire=1700000000123 idle=3600", "  = 'b'",
                "key db=0 'freq' STRING freq=200", "  = 'c'",
                "key db=0 'plain' STRING", "  = 'd'",
                "key db=0 'mod' MODULE_2", "  module ferry-mod " + Long.toHexString(MODULE) + " " + (1 + VALUE_RANGE[1] - VALUE_RANGE[0]) + " bytes",
                "key db=0 'both' STRING expire=1800000000000 freq=5", "  = 'e'",
                "db 3",
                "resize 1 0",
                "key db=3 'in-db-3' STRING", "  = 'f'",
                "end");
    }

    @Test
    void moduleIdNamesTheModule() {
        assertThat(ModuleValue.name(MODULE)).isEqualTo("ferry-mod");
        assertThat(MODULE & 1023).isEqualTo(3);
    }

    @Test
    void capturedPayloadIsTheTypeByteAndTheSerializedValue() {
        // The capture feeds RESTORE: it must be exactly what DUMP would hold before its footer.
        byte[] rdb = everyOpcode();
        Recorder r = new Recorder();
        new RdbReader(new ByteArrayInputStream(rdb), RdbReader.CaptureMode.raw(1 << 20, null)).read(r);
        byte[] module = new byte[1 + VALUE_RANGE[1] - VALUE_RANGE[0]];
        module[0] = RdbType.MODULE_2;
        System.arraycopy(rdb, VALUE_RANGE[0], module, 1, module.length - 1);
        byte[] stringD = {RdbType.STRING, 1, 'd'};
        List<String> raws = new ArrayList<>();
        for (String l : r.lines) {
            if (l.startsWith("  raw ")) {
                raws.add(l);
            }
        }
        assertThat(raws).hasSize(7)
                .contains("  raw 3 " + Long.toHexString(Crc64.of(stringD)))
                .contains("  raw " + module.length + " " + Long.toHexString(Crc64.of(module)));
    }

    @Test
    void captureLimitDropsLargerPayloads() {
        byte[] rdb = RdbBytes.redis(9).selectDb(0).stringKey("small", "x").stringKey("large", "y".repeat(100)).eof();
        Recorder r = new Recorder();
        new RdbReader(new ByteArrayInputStream(rdb), RdbReader.CaptureMode.raw(50, null)).read(r);
        assertThat(r.lines).containsExactly("header 9", "db 0",
                "key db=0 'small' STRING", "  = 'x'", "  raw 3 " + Long.toHexString(Crc64.of(new byte[] {0, 1, 'x'})),
                "key db=0 'large' STRING", "  = '" + "y".repeat(100) + "'",
                "end");
    }

    @Test
    void skippedValuesLeaveTheRestIntact() {
        // With a null sink the reader skips values without decoding: it must still consume them exactly.
        byte[] rdb = everyOpcode();
        Recorder r = new Recorder(h -> false);
        new RdbReader(new ByteArrayInputStream(rdb)).read(r);
        assertThat(r.lines).filteredOn(l -> l.startsWith("key ")).hasSize(7);
        assertThat(r.lines).noneMatch(l -> l.startsWith("  ")).endsWith("end");
        assertThat(Arrays.asList(r.lines.get(r.lines.size() - 2))).containsExactly("key db=3 'in-db-3' STRING");
    }

    @Test
    void valkeyMagic() {
        byte[] rdb = RdbBytes.magic("VALKEY080").aux("valkey-ver", "8.1.0").selectDb(0).stringKey("k", "v").eof();
        assertThat(EveryChunking.transcript(rdb)).containsExactly("header 80 valkey", "aux 'valkey-ver'='8.1.0'", "db 0",
                "key db=0 'k' STRING", "  = 'v'", "end");
    }

    @Test
    void zeroChecksumIsNotVerified() {
        // rdbchecksum no: the server writes 8 zero bytes and skips verification on load.
        byte[] rdb = RdbBytes.redis(9).selectDb(0).stringKey("k", "v").eofZeroChecksum();
        assertThat(EveryChunking.transcript(rdb)).endsWith("end");
    }
}
