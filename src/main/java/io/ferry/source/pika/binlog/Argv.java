package io.ferry.source.pika.binlog;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/** Byte-level helpers for argument vectors (names and numbers are ASCII, everything else is raw bytes). */
final class Argv {
    private Argv() {}

    static byte[] b(String ascii) {
        return ascii.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String s(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    static byte[][] of(Object... parts) {
        byte[][] out = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            Object p = parts[i];
            out[i] = p instanceof byte[] bytes ? bytes : b(String.valueOf(p));
        }
        return out;
    }

    static String upper(byte[] name) {
        return s(name).toUpperCase(Locale.ROOT);
    }

    /** The same argv with the command name in upper case (Pika logs the client's letter case). */
    static byte[][] upperName(byte[][] argv, String upper) {
        byte[][] out = argv.clone();
        out[0] = b(upper);
        return out;
    }

    static boolean is(byte[] arg, String upperAscii) {
        return s(arg).equalsIgnoreCase(upperAscii);
    }

    /** A decimal integer argument, or a {@link MalformedBinlogItemException} naming what it should have been. */
    static long parseLong(byte[][] argv, int index, String what) {
        if (index >= argv.length) {
            throw new MalformedBinlogItemException(upper(argv[0]) + " without " + what, argv);
        }
        try {
            return Long.parseLong(s(argv[index]));
        } catch (NumberFormatException e) {
            throw new MalformedBinlogItemException(upper(argv[0]) + " " + what + " is not an integer", argv);
        }
    }

    static void requireArgs(byte[][] argv, int min) {
        if (argv.length < min) {
            throw new MalformedBinlogItemException(upper(argv[0]) + " needs at least " + (min - 1) + " arguments", argv);
        }
    }

    static byte[][] with(byte[][] argv, int index, byte[] value) {
        byte[][] out = argv.clone();
        out[index] = value;
        return out;
    }

    /** For messages: arguments as latin-1 text, long ones abbreviated. */
    static String show(byte[][] argv) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < argv.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            String a = s(argv[i]);
            sb.append(a.length() > 40 ? "<" + a.length() + " bytes>" : a);
        }
        return sb.append(']').toString();
    }

    static byte[][] concat(byte[][] a, byte[][] b) {
        byte[][] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
