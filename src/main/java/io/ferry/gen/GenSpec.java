package io.ferry.gen;

import io.ferry.rdb.ValueType;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What to generate. Type weights pick each key's type; collections get {@code elements}
 * elements on average (±50%); {@code bigKeys} of them get {@code bigKeyElements}; a share of
 * keys gets a TTL between 1 h and 1 h + {@code ttlSpreadSeconds}.
 */
public record GenSpec(
        long keys,
        Map<ValueType, Integer> typeWeights,
        int valueSize,
        int elements,
        long bigKeys,
        int bigKeyElements,
        double expireRatio,
        long ttlSpreadSeconds,
        List<Integer> dbs,
        String prefix,
        long seed) {

    public static Map<ValueType, Integer> parseWeights(String spec) {
        Map<ValueType, Integer> w = new EnumMap<>(ValueType.class);
        for (String part : spec.split(",")) {
            String[] kv = part.trim().split("=");
            if (kv.length != 2) {
                throw new IllegalArgumentException("invalid type mix '" + part + "' (expected type=weight, e.g. string=60,hash=20)");
            }
            ValueType t = ValueType.parse(kv[0]);
            if (t == ValueType.MODULE) {
                throw new IllegalArgumentException("ferry gen cannot make module values");
            }
            int weight = Integer.parseInt(kv[1].trim());
            if (weight < 0) {
                throw new IllegalArgumentException("negative weight in '" + part + "'");
            }
            w.put(t, weight);
        }
        if (w.values().stream().mapToInt(Integer::intValue).sum() == 0) {
            throw new IllegalArgumentException("the type mix '" + spec + "' has no positive weight");
        }
        return w;
    }
}
