package io.ferry.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Zipmap (Redis < 2.6 small hashes): zmlen, then len field len free value [free bytes], 0xFF. */
class ZipmapTest {
    private final ByteArrayOutputStream z = new ByteArrayOutputStream();

    private void len(int n) {
        if (n < 254) {
            z.write(n);
        } else {
            z.write(254);
            Packs.le(z, n, 4); // host order: little-endian on every machine Redis 2.x ran on
        }
    }

    private void pair(String field, String value, int free) {
        byte[] f = field.getBytes(StandardCharsets.ISO_8859_1);
        byte[] v = value.getBytes(StandardCharsets.ISO_8859_1);
        len(f.length);
        z.write(f, 0, f.length);
        len(v.length);
        z.write(free);
        z.write(v, 0, v.length);
        z.write(new byte[free], 0, free);
    }

    private byte[] sample() {
        z.write(254); // zmlen 254: "count unknown", must be walked
        pair("f1", "v1", 0);
        pair("f".repeat(300), "big field", 0); // 5-byte length
        pair("shrunk", "v", 4); // a value overwritten by a shorter one leaves free bytes
        pair("empty", "", 0);
        pair("f2", "x".repeat(253), 0); // 253 still fits one length byte
        z.write(0xff);
        return z.toByteArray();
    }

    @Test
    void walksEveryLengthFormAndFreeBytes() {
        List<String> got = new ArrayList<>();
        Zipmap m = new Zipmap(sample());
        while (m.hasNext()) {
            got.add(new String(m.next(), StandardCharsets.ISO_8859_1));
        }
        assertThat(got).containsExactly("f1", "v1", "f".repeat(300), "big field", "shrunk", "v", "empty", "", "f2", "x".repeat(253));
    }

    @Test
    void hashZipmapInAnOldRdbUnderEveryChunking() {
        // RDB 4 (Redis 2.4): no checksum after EOF.
        byte[] rdb = RdbBytes.redis(4).selectDb(0).key(RdbType.HASH_ZIPMAP, "h").str(sample()).eofNoChecksum();
        assertThat(EveryChunking.transcript(rdb)).containsExactly("header 4", "db 0", "key db=0 'h' HASH_ZIPMAP",
                "  hash 'f1' 'v1'", "  hash '" + "f".repeat(300) + "' 'big field'", "  hash 'shrunk' 'v'",
                "  hash 'empty' ''", "  hash 'f2' '" + "x".repeat(253) + "'", "end");
    }

    @Test
    void missingEndMarker() {
        z.write(1);
        pair("f", "v", 0);
        assertThatThrownBy(() -> {
            Zipmap m = new Zipmap(z.toByteArray());
            while (m.hasNext()) {
                m.next();
            }
        }).isInstanceOf(IllegalArgumentException.class).hasMessage("zipmap does not end with 0xFF");
    }

    @Test
    void entryRunningPastTheEnd() {
        z.write(1);
        len(10);
        z.write('f');
        z.write(0xff);
        assertThatThrownBy(() -> new Zipmap(z.toByteArray()).next()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("zipmap entry runs past the end of the blob");
    }

    @Test
    void oddNumberOfEntriesInAnRdb() {
        z.write(1);
        len(1);
        z.write('f');
        z.write(0xff);
        RdbBytes w = RdbBytes.redis(4).selectDb(0);
        int at = w.size();
        byte[] rdb = w.key(RdbType.HASH_ZIPMAP, "h").str(z.toByteArray()).eofNoChecksum();
        assertThatThrownBy(() -> Recorder.decode(rdb)).isInstanceOf(RdbFormatException.class)
                .hasMessage("corrupt HASH_ZIPMAP value of key 'h' in db 0: odd number of elements in a field/value encoding (at byte offset " + at + ")");
    }
}
