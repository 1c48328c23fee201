package io.ferry.source.pika.binlog;

import static io.ferry.source.pika.binlog.Argv.of;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Pika-only commands that test the target's state: {@code SET k v VX old}, {@code DELVX k v},
 * {@code PKPATTERNMATCHDEL pattern type}. Each becomes one EVAL so the test and the write are atomic.
 * The key scripts declare their key in KEYS (cluster routing); the pattern script has none and acts on
 * the node it runs on, so on a cluster target the session must send it to every master.
 */
final class ConditionalRules {
    /** ARGV: new value, expected value[, PXAT|PX, ms]. A non-string or missing key does not match (Pika's VX). */
    static final String SET_VX_SCRIPT = """
            local cur = redis.pcall('GET', KEYS[1])
            if type(cur) ~= 'string' or cur ~= ARGV[2] then return 0 end
            if ARGV[3] then return redis.call('SET', KEYS[1], ARGV[1], ARGV[3], ARGV[4]) end
            return redis.call('SET', KEYS[1], ARGV[1])""";

    /** ARGV: expected value. */
    static final String DEL_VX_SCRIPT = """
            local cur = redis.pcall('GET', KEYS[1])
            if type(cur) ~= 'string' or cur ~= ARGV[1] then return 0 end
            return redis.call('DEL', KEYS[1])""";

    /**
     * ARGV: glob, type ('' = any). SCANs the whole db inside the script (O(keys), blocks the target while it runs).
     * replicate_commands: Redis 3.2 – 4.x refuse writes after SCAN in a script without it (a no-op from 7.0).
     */
    static final String PATTERN_DEL_SCRIPT = """
            if redis.replicate_commands then redis.replicate_commands() end
            local cursor = '0'
            local n = 0
            repeat
              local r = redis.call('SCAN', cursor, 'MATCH', ARGV[1], 'COUNT', 1000)
              cursor = r[1]
              for _, k in ipairs(r[2]) do
                if ARGV[2] == '' or redis.call('TYPE', k)['ok'] == ARGV[2] then
                  n = n + redis.call('DEL', k)
                end
              end
            until cursor == '0'
            return n""";

    private static final Set<String> TYPES = Set.of("string", "hash", "list", "zset", "set");

    private final TargetCaps target;
    private final PikaTranslationStats stats;

    ConditionalRules(TargetCaps target, PikaTranslationStats stats) {
        this.target = target;
        this.stats = stats;
    }

    /** True when a SET carries Pika's VX condition. */
    static boolean isSetVx(byte[][] a) {
        for (int i = 3; i < a.length; i++) {
            if (Argv.is(a[i], "VX")) {
                return true;
            }
        }
        return false;
    }

    /** {@code SET k v VX old [EX s|PX ms]}: set only if the current value is {@code old}. */
    List<Action> setVx(byte[][] a, long execTimeSeconds, long nowMs) {
        if (target.pika()) {
            return List.of(new Action.Command(a)); // a Pika target has VX itself
        }
        byte[] key = a[1];
        byte[] value = a[2];
        byte[] expected = null;
        long atMs = -1;
        for (int i = 3; i < a.length; i++) {
            if (Argv.is(a[i], "VX") && i + 1 < a.length) {
                expected = a[++i];
            } else if (Argv.is(a[i], "EX")) {
                atMs = execTimeSeconds * 1000 + 1000 * Argv.parseLong(a, ++i, "EX seconds");
            } else if (Argv.is(a[i], "PX")) {
                atMs = execTimeSeconds * 1000 + Argv.parseLong(a, ++i, "PX milliseconds");
            } else {
                throw new MalformedBinlogItemException("SET … VX with an option Ferry does not know", a);
            }
        }
        if (expected == null) {
            throw new MalformedBinlogItemException("SET … VX without the expected value", a);
        }
        if (atMs < 0) {
            return List.of(eval(SET_VX_SCRIPT, key, value, expected));
        }
        if (atMs <= nowMs) {
            // The new value would already have expired: what remains is "delete if it was old".
            stats.expiredDeletes.increment();
            return List.of(eval(DEL_VX_SCRIPT, key, expected));
        }
        return List.of(target.exat()
                ? eval(SET_VX_SCRIPT, key, value, expected, Argv.b("PXAT"), Argv.b(Long.toString(atMs)))
                : eval(SET_VX_SCRIPT, key, value, expected, Argv.b("PX"), Argv.b(Long.toString(atMs - nowMs))));
    }

    /** {@code DELVX k v}: delete only if the current value is {@code v}. */
    List<Action> delVx(byte[][] a) {
        Argv.requireArgs(a, 3);
        if (target.pika()) {
            return List.of(new Action.Command(a));
        }
        return List.of(eval(DEL_VX_SCRIPT, a[1], a[2]));
    }

    /** {@code PKPATTERNMATCHDEL pattern type} (3.x; type as Redis TYPE names it). Without a type: any type. */
    List<Action> patternDel(byte[][] a) {
        Argv.requireArgs(a, 2);
        if (target.pika()) {
            if (a.length > 2 && target.major() >= 4) {
                // 4.0 takes "pattern [max_count]": a type there would be read as a count, and dropping it would delete other types.
                throw new MalformedBinlogItemException("PKPATTERNMATCHDEL with a type has no form on a Pika 4.0 target", a);
            }
            return List.of(new Action.Command(a));
        }
        String type = "";
        if (a.length > 2) {
            type = Argv.s(a[2]).toLowerCase(Locale.ROOT);
            if (!TYPES.contains(type)) {
                throw new MalformedBinlogItemException("PKPATTERNMATCHDEL type must be one of " + TYPES, a);
            }
        }
        return List.of(new Action.Command(of("EVAL", PATTERN_DEL_SCRIPT, "0", a[1], type)));
    }

    private static Action.Command eval(String script, byte[] key, byte[]... args) {
        List<byte[]> out = new ArrayList<>(List.of(Argv.b("EVAL"), Argv.b(script), Argv.b("1"), key));
        out.addAll(List.of(args));
        return new Action.Command(out.toArray(byte[][]::new));
    }
}
