package io.ferry.rdb;

/**
 * Module values (MODULE_2), MODULE_AUX data and key metadata: self-describing opcode streams we
 * can skip, or read item by item.
 */
public final class ModuleValue {
    static final int OP_EOF = 0;
    static final int OP_SINT = 1;
    static final int OP_UINT = 2;
    static final int OP_FLOAT = 3;
    static final int OP_DOUBLE = 4;
    static final int OP_STRING = 5;
    private static final String CHARSET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private ModuleValue() {}

    /** One opcode-tagged item: {@code kind} is sint, uint, float, double or string. */
    public record Item(String kind, long integer, double number, byte[] string) {}

    static char charOf(int sixBits) {
        return CHARSET.charAt(sixBits);
    }

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
        r.u64("a module id"); // 64 bits: a name starting past 'W' sets the top bit
        skipBody(r);
    }

    /** Reads the items up to the module EOF opcode. */
    static java.util.List<Item> readBody(RdbReader r) {
        java.util.List<Item> items = new java.util.ArrayList<>();
        while (true) {
            long op = r.len("a module value opcode");
            switch ((int) op) {
                case OP_EOF: return items;
                case OP_SINT: items.add(new Item("sint", r.u64("a module integer"), 0, null)); break;
                case OP_UINT: items.add(new Item("uint", r.u64("a module integer"), 0, null)); break;
                case OP_FLOAT: items.add(new Item("float", 0, Float.intBitsToFloat((int) r.input().u32le("a module float")), null)); break;
                case OP_DOUBLE: items.add(new Item("double", 0, Double.longBitsToDouble(r.input().u64le("a module double")), null)); break;
                case OP_STRING: items.add(new Item("string", 0, 0, r.string("a module string"))); break;
                default: throw new IllegalArgumentException("unknown module value opcode " + op);
            }
        }
    }

    static void skipBody(RdbReader r) {
        while (true) {
            long op = r.len("a module value opcode");
            switch ((int) op) {
                case OP_EOF: return;
                case OP_SINT: case OP_UINT: r.u64("a module integer"); break; // a signed one is stored as its 64 bits
                case OP_FLOAT: r.input().skip(4, "a module float"); break;
                case OP_DOUBLE: r.input().skip(8, "a module double"); break;
                case OP_STRING: r.skipString("a module string"); break;
                default: throw new IllegalArgumentException("unknown module value opcode " + op);
            }
        }
    }
}
