package io.ferry.check;

import io.ferry.resp.RedisUri;
import io.ferry.route.twemproxy.Pool;
import io.ferry.route.twemproxy.Server;
import java.util.ArrayList;
import java.util.List;

/**
 * A twemproxy pool as one side of a check: its backends are scanned, and a key is looked up on
 * the backend nutcracker would send it to, so a key written around the proxy onto another
 * backend shows up as a difference (nutcracker would not find it).
 */
public record TwemproxyTopology(Pool pool, List<RedisUri> backends) implements Topology {
    public static TwemproxyTopology of(Pool pool) {
        if (pool.redisDb() != 0) {
            throw new io.ferry.route.twemproxy.TwemproxyConfigException(pool.describe() + " keeps its keys in redis_db " + pool.redisDb()
                    + ", and check compares dbs by number: check its backends' db " + pool.redisDb() + " against the source's db 0 is not supported yet");
        }
        List<RedisUri> uris = new ArrayList<>();
        for (Server s : pool.servers()) {
            uris.add(new RedisUri(s.host(), s.port(), null, pool.redisAuth(), null, false));
        }
        return new TwemproxyTopology(pool, List.copyOf(uris));
    }

    @Override
    public List<RedisUri> scanNodes() {
        return backends;
    }

    @Override
    public List<RedisUri> lookupNodes() {
        return backends;
    }

    @Override
    public int route(byte[] key) {
        return pool.serverOf(key);
    }

    @Override
    public boolean multipleDbs() {
        return false;
    }

    @Override
    public String describe() {
        return pool.describe();
    }
}
