package io.ferry.rdb;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A key's value exactly as serialized in the RDB (type byte first): the body of a DUMP/RESTORE
 * payload. Small values live in memory; values above the capture's memory limit were spilled to
 * a temp file, so a huge key never has to fit in the heap. Call {@link #release()} when done.
 */
public final class RawValue {
    private final byte[] mem;
    private final Path file;
    private final long size;
    /** Whether the type byte follows Valkey's numbering (the value came from a VALKEY080 file or a Valkey 9 DUMP). */
    private final boolean valkeyTypes;

    RawValue(byte[] mem) {
        this(mem, null, mem.length, false);
    }

    RawValue(Path file, long size) {
        this(null, file, size, false);
    }

    private RawValue(byte[] mem, Path file, long size, boolean valkeyTypes) {
        this.mem = mem;
        this.file = file;
        this.size = size;
        this.valkeyTypes = valkeyTypes;
    }

    /** A serialized value whose type byte follows Redis' numbering. */
    public static RawValue of(byte[] serialized) {
        return new RawValue(serialized);
    }

    /** A serialized value whose type byte follows Valkey's numbering when {@code valkeyTypes}. */
    public static RawValue of(byte[] serialized, boolean valkeyTypes) {
        return new RawValue(serialized, null, serialized.length, valkeyTypes);
    }

    RawValue numbered(boolean valkey) {
        return valkey == valkeyTypes ? this : new RawValue(mem, file, size, valkey);
    }

    public boolean valkeyTypes() {
        return valkeyTypes;
    }

    public long size() {
        return size;
    }

    public boolean inMemory() {
        return mem != null;
    }

    /** The bytes; only for in-memory values. */
    public byte[] bytes() {
        if (mem == null) {
            throw new IllegalStateException("value of " + size + " bytes was spilled to disk");
        }
        return mem;
    }

    /** The 9-character type name of a module value (its module id's top 54 bits), e.g. {@code vectorset}. */
    public String moduleName() {
        byte[] head;
        if (mem != null) {
            head = mem;
        } else {
            try (InputStream in = open()) {
                head = in.readNBytes(10);
            } catch (IOException e) {
                return "?";
            }
        }
        return ModuleValue.name(ModuleValue.idOf(head));
    }

    /** The value's type code ({@link RdbType#fromWire}), or -1 when the byte names no known type. */
    public int rdbType() {
        if (mem != null) {
            return RdbType.fromWire(mem[0] & 0xff, valkeyTypes);
        }
        try (InputStream in = open()) {
            return RdbType.fromWire(in.read(), valkeyTypes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether this value could be an empty collection, judged from its header alone: false means
     * it certainly holds an element (or is no collection); true means only decoding can tell.
     * Lets the restore path skip decoding the many small values that obviously hold something.
     */
    public boolean mayBeEmptyCollection() {
        return mem != null && RdbReader.mayBeEmptyCollection(mem, valkeyTypes); // spilled values are far too large to be empty
    }

    /** Only values this small can be empty collections; checking them costs a tiny decode. */
    private static final int TINY = 48;

    /**
     * Whether this is a collection without elements: servers refuse such keys (and skip them on
     * load), so writers leave them out.
     */
    public boolean isEmptyCollection() {
        if (size > TINY || !mayBeEmptyCollection()) {
            return false;
        }
        ValueType t = RdbType.valueType(rdbType());
        if (t == ValueType.STRING || t == ValueType.STREAM || t == ValueType.MODULE) {
            return false;
        }
        return ElementCounter.of(this) == 0;
    }

    public InputStream open() throws IOException {
        return mem != null ? new ByteArrayInputStream(mem) : Files.newInputStream(file);
    }

    /** Decodes the value element by element (from memory or from the spill file). */
    public void decode(ValueSink sink) {
        if (mem != null) {
            RdbReader.decodeValue(mem, valkeyTypes, sink);
            return;
        }
        try (InputStream in = open()) {
            RdbReader.decodeValue(in, valkeyTypes, sink);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void release() {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temp file is harmless; the spill dir is cleaned at exit
            }
        }
    }
}
