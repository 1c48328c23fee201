package io.ferry.sync;

import io.ferry.route.SlotMap;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which node of a cluster shard a partition follows under {@code --source-prefer replica}. A
 * replica streams exactly its master's replication id and offsets, so the checkpoint is the same.
 * A resumed run keeps the node it followed before (after a failover it may be the master now):
 * its state dir and checkpoint are that node's.
 */
final class ReplicaChoice {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaChoice.class);

    private ReplicaChoice() {}

    /** The node to follow for the shard of {@code master}: the one followed {@code before}, else its first replica, else the master. */
    static String nodeToFollow(SlotMap map, String master, List<String> before) {
        List<String> shard = new ArrayList<>();
        shard.add(master);
        shard.addAll(map.replicasOf(master));
        for (String n : shard) {
            if (before.contains(n)) {
                return n;
            }
        }
        List<String> replicas = map.replicasOf(master);
        if (replicas.isEmpty()) {
            LOG.warn("--source-prefer replica: the shard of {} has no replica; following its master", master);
            return master;
        }
        return replicas.get(0);
    }
}
