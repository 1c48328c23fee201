package io.ferry.source.pika.binlog;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Test shorthand: argv as latin-1 strings in, actions as readable strings out. */
final class Tr {
    private Tr() {}

    static byte[][] argv(String... parts) {
        byte[][] out = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            out[i] = parts[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        return out;
    }

    static String show(Action a) {
        if (a instanceof Action.Command c) {
            StringBuilder sb = new StringBuilder();
            for (byte[] x : c.argv()) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(new String(x, StandardCharsets.ISO_8859_1));
            }
            return sb.toString();
        }
        Action.Refetch r = (Action.Refetch) a;
        return "REFETCH " + new String(r.key(), StandardCharsets.ISO_8859_1) + " " + r.type();
    }

    static List<String> run(PikaTranslator t, long exec, String... parts) {
        return t.translate(argv(parts), exec).stream().map(Tr::show).toList();
    }

    /** A translator whose clock reads the item's exec time (replay as if live). */
    static PikaTranslator at(PikaGeneration gen, TargetCaps caps, TypeNames names, long nowSeconds) {
        return new PikaTranslator(gen, caps, names, () -> nowSeconds * 1000);
    }

    static final TargetCaps REDIS7 = new TargetCaps(7, 0);
    static final TargetCaps REDIS6_0 = new TargetCaps(6, 0);
    static final TargetCaps REDIS5 = new TargetCaps(5, 0);
}
