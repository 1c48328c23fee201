package io.ferry.rdb;

/** Module values (MODULE_2) and MODULE_AUX data: self-describing opcode streams we can skip. */
final class ModuleValue {
    static final int OP_EOF = 0;
    static final int OP_SINT = 1;
    static final int OP_UINT = 2;
    static final int OP_FLOAT = 3;
    static final int OP_DOUBLE = 4;
    static final int OP_STRING = 5;
    private static final String CHARSET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private ModuleValue() {}

    /** The 9-character module type name packed in the top 54 bits of a module id. */
    static String name(long moduleId) {
        char[] c = new char[9];
        long id = moduleId >>> 10;
        for (int i = 8; i >= 0; i--) {
            c[i] = CHARSET.charAt((int) (id & 63));
            id >>>= 6;
        }
        return new String(c);
    }

    /** The module id at the start of a captured MODULE_2 payload (after its type byte). */
    static long idOf(byte[] payload) {
        int b = payload[1] & 0xff;
        switch (b >>> 6) {
            case 0: return b & 0x3f;
            case 1: return ((b & 0x3f) << 8) | (payload[2] & 0xff);
            default: {
                int n = b == 0x80 ? 4 : 8;
                long v = 0;
                for (int i = 0; i < n; i++) {
                    v = (v << 8) | (payload[2 + i] & 0xff);
                }
                return v;
            }
        }
    }

    static void decode(RdbReader r) {
        r.len("a module id");
        skipBody(r);
    }

    static void skipBody(RdbReader r) {
        while (true) {
            long op = r.len("a module value opcode");
            switch ((int) op) {
                case OP_EOF: return;
                case OP_SINT: case OP_UINT: r.len("a module integer"); break;
                case OP_FLOAT: r.input().skip(4, "a module float"); break;
                case OP_DOUBLE: r.input().skip(8, "a module double"); break;
                case OP_STRING: r.skipString("a module string"); break;
                default: throw new IllegalArgumentException("unknown module value opcode " + op);
            }
        }
    }
}
