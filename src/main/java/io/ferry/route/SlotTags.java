package io.ferry.route;

import java.nio.charset.StandardCharsets;

/**
 * A short hash tag for every slot, so Ferry can name a key of its own (a checkpoint, a probe) in
 * any slot: {@code "{" + tag(s) + "}"} hashes to slot s. Found once by trying strings over a
 * small alphabet, shortest first; every slot has one of at most three characters.
 */
public final class SlotTags {
    private static final byte[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".getBytes(StandardCharsets.US_ASCII);
    private static volatile String[] tags;

    private SlotTags() {}

    public static String tag(int slot) {
        String[] t = tags;
        if (t == null) {
            t = compute();
            tags = t;
        }
        return t[slot];
    }

    private static String[] compute() {
        String[] t = new String[Slots.COUNT];
        int left = Slots.COUNT;
        for (int len = 1; left > 0; len++) {
            byte[] s = new byte[len];
            int[] digit = new int[len];
            while (true) {
                for (int i = 0; i < len; i++) {
                    s[i] = ALPHABET[digit[i]];
                }
                int slot = Slots.crc16(s, 0, len) & (Slots.COUNT - 1);
                if (t[slot] == null) {
                    t[slot] = new String(s, StandardCharsets.US_ASCII);
                    left--;
                }
                int i = len - 1;
                while (i >= 0 && ++digit[i] == ALPHABET.length) {
                    digit[i--] = 0;
                }
                if (i < 0) {
                    break;
                }
            }
        }
        return t;
    }
}
