package io.ferry.source.pika.binlog;

/** What the Redis target understands, from its {@code redis_version}. */
public record TargetCaps(int major, int minor) {

    public static TargetCaps of(String redisVersion) {
        String[] p = redisVersion.strip().split("\\.");
        return new TargetCaps(Integer.parseInt(p[0]), p.length > 1 ? Integer.parseInt(p[1]) : 0);
    }

    private boolean atLeast(int ma, int mi) {
        return major > ma || major == ma && minor >= mi;
    }

    /** SET … EXAT/PXAT (Redis 6.2). */
    public boolean exat() {
        return atLeast(6, 2);
    }

    /** SET … KEEPTTL (Redis 6.0). */
    public boolean keepTtl() {
        return atLeast(6, 0);
    }
}
