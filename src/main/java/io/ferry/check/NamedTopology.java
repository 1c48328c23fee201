package io.ferry.check;

import io.ferry.filter.DbMap;
import io.ferry.resp.RedisUri;
import java.util.List;

/** A target topology whose keys carry the names a {@code --db-prefix} run gave them. */
record NamedTopology(Topology nodes, DbMap names) implements Topology {
    static Topology of(Topology t, DbMap names) {
        return names.prefixes() ? new NamedTopology(t, names) : t;
    }

    @Override
    public List<RedisUri> scanNodes() {
        return nodes.scanNodes();
    }

    @Override
    public List<RedisUri> lookupNodes() {
        return nodes.lookupNodes();
    }

    @Override
    public int route(byte[] key) {
        return nodes.route(key);
    }

    @Override
    public boolean multipleDbs() {
        return nodes.multipleDbs();
    }

    @Override
    public String describe() {
        StringBuilder s = new StringBuilder(nodes.describe()).append(" (--db-prefix ");
        names.prefixMap().forEach((db, p) -> s.append(db).append('=').append(new String(p, java.nio.charset.StandardCharsets.UTF_8)).append(','));
        s.setLength(s.length() - 1);
        return s.append(')').toString();
    }
}
