package io.ferry.sync;

/**
 * How the partitions of the sources are read: {@code preferReplica} follows a replica of each
 * cluster shard instead of its master ({@code --source-prefer replica}); {@code safe} lets the
 * partitions of one host take their snapshots one at a time ({@code --source-safe}).
 */
public record SourceTopologyOptions(boolean preferReplica, boolean safe) {
    public static final SourceTopologyOptions DEFAULT = new SourceTopologyOptions(false, false);

    /** {@code --source-prefer}: "master" (the default) or "replica". */
    public static boolean parsePrefer(String value) {
        return switch (value == null ? "master" : value.toLowerCase(java.util.Locale.ROOT)) {
            case "master" -> false;
            case "replica" -> true;
            default -> throw new io.ferry.cli.UserError("--source-prefer takes master or replica, not '" + value + "'");
        };
    }
}
