package io.ferry.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.testing.Dataset;
import io.ferry.testing.Fixtures;
import io.ferry.testing.PikaExpected;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a faithful replica of a recorded Pika master cannot end with the master's content (the
 * recordings' "Discrepancies"), so the end-to-end tests expect what a replay of the log gives:
 * Pika's HyperLogLog strings versus the Redis HLL a replayed PFADD builds, the {@code +inf} zset
 * member Pika failed to remove, and 3.5.5's empty first APPEND.
 */
final class PikaDivergences {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PikaDivergences() {}

    /** Changes the master's content into what the target must hold. */
    static void apply(String version, Map<String, PikaExpected.Key> expected) throws IOException {
        boolean v3 = version.equals("3.3.6");
        expected.keySet().removeAll(clockAffected(version));
        for (String k : v3 ? List.of("tr:hll") : List.of("tr:hll", "tr:hll2")) {
            expected.remove(k); // checked apart: the target holds a real Redis HLL (see dropFromTarget)
        }
        PikaExpected.Key z = expected.get("tr:z");
        if (z != null) {
            List<Object> members = new ArrayList<>((List<?>) z.value());
            members.removeIf(m -> ((List<?>) m).get(1).equals(Double.POSITIVE_INFINITY) && ((List<?>) m).get(0).equals(v3 ? "d" : "top"));
            expected.put("tr:z", new PikaExpected.Key(z.type(), members, z.ttlSeconds()));
        }
        if (version.equals("3.5.5")) {
            PikaExpected.Key app = expected.get("tr:app2");
            expected.put("tr:app2", new PikaExpected.Key("string", "", app.ttlSeconds())); // logged as pksetexat tr:app2 0 ""
        }
    }

    /**
     * Keys whose binlog items carry a TTL the master computed from a relative one (EXPIRE, SET EX,
     * PSETEX, INCR of a key with a TTL: {@code expireat}/{@code pksetexat} a few minutes after the
     * item), or a relative TTL kept as such ({@code SET … NX EX s}): replayed days after the recording, those times have passed, so the target rightly drops
     * keys the master still held then. The end-to-end tests leave them out; PikaTranslationIT replays
     * them with the times moved to this machine's clock.
     */
    static java.util.Set<String> clockAffected(String version) throws IOException {
        Path dir = Fixtures.requirePikaDir(version);
        long last = JSON.readTree(dir.resolve("replication.final.expected.json").toFile()).get("last_logic_id").asLong();
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (String line : Files.readAllLines(dir.resolve("replication.transcript.jsonl"))) {
            for (JsonNode item : JSON.readTree(line).path("decoded").path("binlog_items")) {
                JsonNode argv = item.get("argv");
                if (argv == null || argv.size() < 3 || item.get("header").get("logic_id").asLong() > last) {
                    continue;
                }
                String cmd = argv.get(0).asText().toLowerCase(java.util.Locale.ROOT);
                if (cmd.equals("set") && argv.size() > 3) { // SET … NX|XX EX|PX stays relative: it counts from when it is applied
                    for (JsonNode opt : argv) {
                        if (opt.asText().equalsIgnoreCase("EX") || opt.asText().equalsIgnoreCase("PX")) {
                            out.add(argv.get(1).asText());
                        }
                    }
                    continue;
                }
                if (!cmd.equals("pksetexat") && !cmd.equals("expireat") && !cmd.equals("pexpireat")) {
                    continue;
                }
                long ts = Long.parseLong(argv.get(2).asText());
                ts = ts > 100_000_000_000L ? ts / 1000 : ts;
                if (ts != 0 && Math.abs(ts - item.get("header").get("exec_time").asLong()) < 30L * 86400) {
                    out.add(argv.get(1).asText());
                }
            }
        }
        return out;
    }

    /** Leaves out of the target's keys those {@link #apply} removed, after checking they are what a replay gives. */
    static void dropFromTarget(String version, Map<String, Dataset.KeyData> got) throws IOException {
        got.keySet().removeAll(clockAffected(version));
        for (String k : version.equals("3.3.6") ? List.of("tr:hll") : List.of("tr:hll", "tr:hll2")) {
            Dataset.KeyData d = got.remove(k);
            if (d != null && !((String) d.value()).startsWith("HYLL")) {
                throw new AssertionError(k + " is not a Redis HyperLogLog on the target");
            }
        }
    }

    /** The sets a 3.x master popped from (SPOP), as the master holds them at the end: what Ferry re-reads. */
    static Map<String, List<String>> setsAfterSpop(String version) throws IOException {
        Map<String, List<String>> out = new TreeMap<>();
        if (!version.startsWith("3.3")) {
            return out;
        }
        Path dir = Fixtures.requirePikaDir(version);
        JsonNode sets = JSON.readTree(dir.resolve("replication.final.expected.json").toFile()).path("types").path("sets");
        for (String line : Files.readAllLines(dir.resolve("replication.commands.jsonl"))) {
            for (JsonNode c : JSON.readTree(line).path("commands")) {
                if (c.get(0).asText().equalsIgnoreCase("SPOP")) {
                    String key = c.get(1).asText();
                    List<String> members = new ArrayList<>();
                    sets.path(key).path("value").forEach(m -> members.add(m.asText()));
                    out.put(key, members);
                }
            }
        }
        return out;
    }
}
