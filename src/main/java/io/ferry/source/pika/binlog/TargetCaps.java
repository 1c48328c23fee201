package io.ferry.source.pika.binlog;

/**
 * What the target understands: a Redis version ({@code redis_version}, or the Redis release a
 * Valkey matches), and whether it is a Pika itself (then Pika's own commands — {@code SET … VX},
 * {@code DELVX}, {@code PKPATTERNMATCHDEL} — go as they are).
 */
public record TargetCaps(int major, int minor, boolean pika) {
    public TargetCaps(int major, int minor) {
        this(major, minor, false);
    }

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
