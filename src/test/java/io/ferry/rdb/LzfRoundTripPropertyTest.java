package io.ferry.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Whatever the test compressor emits (runs, far and overlapping references), Lzf restores exactly. */
class LzfRoundTripPropertyTest {
    @Property(tries = 300)
    void decompressInvertsTheTestCompressor(@ForAll @Size(max = 3000) byte[] data, @ForAll boolean repetitive) {
        byte[] in = data;
        if (repetitive) { // make back references (and overlapping ones) likely
            in = new byte[data.length];
            for (int i = 0; i < in.length; i++) {
                in[i] = data.length == 0 ? 0 : data[(i * 7 / 13) % Math.max(1, data.length / 9 + 1)];
            }
        }
        byte[] c = LzfCompressor.compress(in);
        assertThat(Lzf.decompress(c, c.length, in.length)).isEqualTo(in);
    }
}
