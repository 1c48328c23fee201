package io.ferry.source.pika.binlog;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Applies the {@link TypeNames} policy to a logged item (Pika ≤ 3.5): a type-specific write goes to the name
 * its type maps to; DEL / EXPIRE* / PERSIST, which act on every type of a Pika name, expand to every
 * target name the registered types occupy. Returns the argvs to translate further; empty = left out.
 */
final class SameNameRules {
    /** Commands that act on every type of a name; DEL also on a stream, the TTL ones not (3.5.5 #16). */
    private static final Set<String> TTL_ALL_TYPES = Set.of("EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT", "PERSIST");

    private final TypeNames names;
    private final PikaTranslationStats stats;

    SameNameRules(TypeNames names, PikaTranslationStats stats) {
        this.names = names;
        this.stats = stats;
    }

    List<byte[][]> map(String name, byte[][] argv) {
        if (name.equals("FLUSHDB") || name.equals("FLUSHALL")) {
            names.clear();
            return one(argv);
        }
        if (names.size() == 0 || argv.length < 2) {
            return one(argv);
        }
        if (name.equals("DEL")) {
            return del(argv);
        }
        if (TTL_ALL_TYPES.contains(name)) {
            return ttl(argv);
        }
        CommandKeys.Spec spec = CommandKeys.of(name);
        return spec == null ? one(argv) : typed(spec, argv);
    }

    private List<byte[][]> del(byte[][] argv) {
        List<byte[]> out = new ArrayList<>();
        out.add(argv[0]);
        for (int i = 1; i < argv.length; i++) {
            byte[] key = argv[i];
            if (names.isRegistered(key)) {
                stats.conflict(key);
                out.addAll(names.allTargetNames(key, true));
                // The master now holds nothing under the name: later writes are single-type again.
                names.forget(key);
            } else {
                out.add(key);
            }
        }
        return out.size() == 1 ? List.of() : one(out.toArray(byte[][]::new));
    }

    private List<byte[][]> ttl(byte[][] argv) {
        byte[] key = argv[1];
        if (!names.isRegistered(key)) {
            return one(argv);
        }
        stats.conflict(key);
        List<byte[][]> out = new ArrayList<>();
        for (byte[] target : names.allTargetNames(key, false)) {
            out.add(Argv.with(argv, 1, target));
        }
        return out;
    }

    private List<byte[][]> typed(CommandKeys.Spec spec, byte[][] argv) {
        byte[][] out = argv;
        boolean conflict = false;
        for (int i : CommandKeys.keyIndices(spec.layout(), argv)) {
            if (!names.isRegistered(argv[i])) {
                continue;
            }
            if (!conflict) {
                stats.conflict(argv[i]);
                conflict = true;
            }
            Optional<byte[]> target = names.targetNameForWrite(argv[i], spec.type());
            if (target.isEmpty()) {
                // One key of the item is left out: the item cannot be applied in part.
                return List.of();
            }
            out = Argv.with(out, i, target.get());
        }
        return one(out);
    }

    private static List<byte[][]> one(byte[][] argv) {
        return java.util.Collections.singletonList(argv);
    }
}
