package io.ferry.source.pika.binlog;

import io.ferry.source.pika.snapshot.PikaType;
import io.ferry.source.pika.snapshot.TypeConflictPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names that hold several types on a Pika ≤ 3.5 master, and where each type of such a name goes on the
 * (one-type-per-name) Redis target. Seeded by the snapshot reader; the binlog translator consults it.
 *
 * <p>Policies: {@code FIRST} keeps the type Pika's TYPE reports (string, hash, list, zset, set) and
 * leaves the others out; {@code SUFFIX} keeps that type under the name and writes each other type to
 * {@code name:<type>}; {@code SKIP} leaves the name out entirely.
 *
 * <p>Rules for the stream (a name's primary type is fixed when it is registered, so a type added later
 * never moves data that is already on the target):
 * <ul>
 *   <li>a write of a new type to a registered name adds that type (as a non-primary one);</li>
 *   <li>{@link #forget} after a DEL of the name (the master then holds nothing under it), {@link #clear}
 *       after FLUSHDB: later writes to the name are ordinary single-type writes;</li>
 *   <li>a name that becomes multi-type only in the stream (SET k then HSET k) is not detected: the log
 *       does not say whether a write creates or overwrites, so only the snapshot registers names; the
 *       target then answers WRONGTYPE to the second type's write.</li>
 * </ul>
 * Thread-safe.
 */
public final class TypeNames {
    private final TypeConflictPolicy policy;
    private final Map<String, Entry> names = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong changes = new java.util.concurrent.atomic.AtomicLong();
    private volatile long saved = -1; // the changes count the file holds (-1: none written yet)

    private record Entry(PikaType primary, Set<PikaType> types) {}

    public TypeNames(TypeConflictPolicy policy) {
        this.policy = policy;
    }

    /** No multi-type names (Pika 4.0, or a snapshot without conflicts). */
    public static TypeNames none() {
        return new TypeNames(TypeConflictPolicy.FIRST);
    }

    public TypeConflictPolicy policy() {
        return policy;
    }

    /** Registers a name the snapshot found under several types; registering again adds types. */
    public void register(byte[] name, Collection<PikaType> types) {
        if (types.isEmpty()) {
            throw new IllegalArgumentException("no types for " + Argv.s(name));
        }
        EnumSet<PikaType> set = EnumSet.copyOf(types);
        changes.incrementAndGet();
        names.merge(Argv.s(name), new Entry(set.iterator().next(), set),
                (old, add) -> {
                    EnumSet<PikaType> merged = EnumSet.copyOf(old.types);
                    merged.addAll(add.types);
                    return new Entry(old.primary, merged);
                });
    }

    public boolean isRegistered(byte[] name) {
        return names.containsKey(Argv.s(name));
    }

    public int size() {
        return names.size();
    }

    /** The registered types of {@code name} (empty when it is not registered). */
    public Set<PikaType> types(byte[] name) {
        Entry e = names.get(Argv.s(name));
        return e == null ? Set.of() : EnumSet.copyOf(e.types);
    }

    /**
     * Where the {@code type} value of {@code name} goes on the target; empty = left out. Unregistered
     * names map to themselves. Also the rule the snapshot copy must follow, so both agree.
     */
    public Optional<byte[]> targetName(byte[] name, PikaType type) {
        Entry e = names.get(Argv.s(name));
        if (e == null) {
            return Optional.of(name);
        }
        return switch (policy) {
            case SKIP -> Optional.empty();
            case FIRST -> type == e.primary ? Optional.of(name) : Optional.empty();
            case SUFFIX -> Optional.of(type == e.primary ? name : suffixed(name, type));
        };
    }

    /** A type-specific write to a registered name: records the type, then maps as {@link #targetName}. */
    Optional<byte[]> targetNameForWrite(byte[] name, PikaType type) {
        names.computeIfPresent(Argv.s(name), (k, e) -> {
            if (e.types.contains(type)) {
                return e;
            }
            EnumSet<PikaType> more = EnumSet.copyOf(e.types);
            more.add(type);
            changes.incrementAndGet();
            return new Entry(e.primary, more);
        });
        return targetName(name, type);
    }

    /** Every target name the registered types of {@code name} occupy (streams only when asked: EXPIRE/PERSIST skip them). */
    List<byte[]> allTargetNames(byte[] name, boolean withStreams) {
        Entry e = names.get(Argv.s(name));
        List<byte[]> out = new ArrayList<>();
        if (e == null) {
            out.add(name);
            return out;
        }
        for (PikaType t : e.types) {
            if (t == PikaType.STREAM && !withStreams) {
                continue;
            }
            targetName(name, t).ifPresent(n -> {
                if (out.stream().noneMatch(o -> java.util.Arrays.equals(o, n))) {
                    out.add(n);
                }
            });
        }
        return out;
    }

    /** The master deleted every type of the name. */
    void forget(byte[] name) {
        if (names.remove(Argv.s(name)) != null) {
            changes.incrementAndGet();
        }
    }

    /** FLUSHDB on the master, or a new dump. */
    public void clear() {
        names.clear();
        changes.incrementAndGet();
    }

    /**
     * Writes the registry (one line per name: its bytes in hex, the primary type, every type), so a
     * resumed stream maps names as the one before the restart did; atomically replaced.
     */
    public void save(java.nio.file.Path file) throws java.io.IOException {
        long at = changes.get(); // read first: a change while writing makes the next save write again
        if (at == saved && java.nio.file.Files.exists(file)) {
            return; // saved with every checkpoint: unchanged most of the time
        }
        StringBuilder b = new StringBuilder();
        names.forEach((n, e) -> {
            b.append(java.util.HexFormat.of().formatHex(n.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))).append(' ').append(e.primary.typeName());
            e.types.forEach(t -> b.append(' ').append(t.typeName()));
            b.append('\n');
        });
        java.nio.file.Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        java.nio.file.Files.writeString(tmp, b);
        java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        saved = at;
    }

    /** Replaces the registry with what {@link #save} wrote (nothing when the file is absent). */
    public void load(java.nio.file.Path file) throws java.io.IOException {
        names.clear();
        changes.incrementAndGet(); // what was loaded is written back at the next save
        if (!java.nio.file.Files.exists(file)) {
            return;
        }
        for (String line : java.nio.file.Files.readAllLines(file)) {
            String[] f = line.strip().split(" ");
            if (f.length < 3) {
                continue;
            }
            EnumSet<PikaType> types = EnumSet.noneOf(PikaType.class);
            for (int i = 2; i < f.length; i++) {
                types.add(PikaType.parse(f[i]));
            }
            String name = new String(java.util.HexFormat.of().parseHex(f[0]), java.nio.charset.StandardCharsets.ISO_8859_1);
            names.put(name, new Entry(PikaType.parse(f[1]), types));
        }
    }

    static byte[] suffixed(byte[] name, PikaType type) {
        byte[] suffix = Argv.b(":" + type.typeName());
        byte[] out = java.util.Arrays.copyOf(name, name.length + suffix.length);
        System.arraycopy(suffix, 0, out, name.length, suffix.length);
        return out;
    }
}
