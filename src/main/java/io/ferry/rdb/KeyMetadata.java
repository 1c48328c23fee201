package io.ferry.rdb;

import java.util.ArrayList;
import java.util.List;

/**
 * One class of module key metadata (Redis RDB 13+, opcode KEY_META before a key's type byte): a
 * 4-byte class spec, then the class's values as opcode-tagged module values. Target servers
 * without the module drop it on load when the class allows that, so Ferry reads it to report it.
 */
public record KeyMetadata(int classSpec, List<ModuleValue.Item> values) {
    /** The 4 characters of the class name (the full name is "META-" + these). */
    public String className() {
        char[] c = new char[4];
        int name = classSpec >>> 8;
        for (int i = 3; i >= 0; i--) {
            c[i] = ModuleValue.charOf(name & 63);
            name >>>= 6;
        }
        return new String(c);
    }

    public int classVersion() {
        return (classSpec >>> 3) & 31;
    }

    public int classFlags() {
        return classSpec & 7;
    }

    /** The classes of one KEY_META opcode (the opcode byte already read). */
    static List<KeyMetadata> read(RdbReader r) {
        long n = r.len("a KEY_META class count");
        List<KeyMetadata> out = new ArrayList<>((int) Math.min(n, 16));
        for (long i = 0; i < n; i++) {
            int spec = (int) r.input().u32le("a KEY_META class spec"); // native order: little-endian on every server built
            out.add(new KeyMetadata(spec, ModuleValue.readBody(r)));
        }
        return out;
    }
}
