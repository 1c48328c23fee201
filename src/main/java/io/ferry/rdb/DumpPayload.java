package io.ferry.rdb;

import java.util.Arrays;
import java.util.List;

/**
 * A DUMP payload taken apart: [KEY_META] type value, 2-byte little-endian RDB version, CRC-64.
 * It has no magic, so its footer version picks the type numbering: 80 and up is Valkey's, below
 * is Redis'. Only Redis' numbering has KEY_META (Valkey's 243 is an RDB-file-only opcode).
 */
public record DumpPayload(RawValue value, int rdbVersion, List<KeyMetadata> keyMetadata) {
    private static final int FOOTER = 10;

    public static DumpPayload parse(byte[] dump) {
        if (dump.length < 1 + FOOTER) {
            throw new RdbFormatException("DUMP payload of " + dump.length + " bytes is too short", 0);
        }
        int end = dump.length - FOOTER;
        int version = (dump[end] & 0xff) | (dump[end + 1] & 0xff) << 8;
        long stored = 0;
        for (int i = 7; i >= 0; i--) {
            stored = (stored << 8) | (dump[end + 2 + i] & 0xffL);
        }
        long computed = Crc64.update(0, dump, 0, end + 2);
        if (stored != 0 && stored != computed) { // 0: the server skipped the checksum
            throw new RdbFormatException(String.format("DUMP payload checksum mismatch: it says %016x, its contents give %016x", stored, computed), end + 2);
        }
        boolean valkey = version >= RdbReader.VALKEY_VERSION;
        int start = 0;
        List<KeyMetadata> meta = List.of();
        if (!valkey && (dump[0] & 0xff) == RdbReader.OP_KEY_META_OR_SLOT_IMPORT) {
            RdbReader r = RdbReader.inMemory(Arrays.copyOfRange(dump, 1, end));
            meta = KeyMetadata.read(r);
            start = 1 + (int) r.offset();
        }
        if (start >= end) {
            throw new RdbFormatException("DUMP payload holds key metadata but no value", start);
        }
        int type = dump[start] & 0xff;
        if (RdbType.fromWire(type, valkey) < 0) {
            throw new UnknownRdbTypeException(type, version, valkey, start);
        }
        return new DumpPayload(RawValue.of(Arrays.copyOfRange(dump, start, end), valkey), version, meta);
    }
}
