package io.ferry.route.twemproxy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ketama}: a continuum of points, 160 per server scaled by its share of the total weight
 * (computed in single-precision float as nutcracker does, which decides the count near a
 * boundary), four per MD5 of {@code "<name>-<i>"}. A hash goes to the first point at or above it,
 * wrapping to the first point.
 */
final class Ketama implements Distribution {
    private static final int POINTS_PER_SERVER = 160;
    private static final int POINTS_PER_HASH = 4;
    private static final int MAX_HOST_LEN = 272; // nutcracker's 273-byte buffer less its NUL

    // Each point is (value ^ 0x80000000) << 32 | server index: flipping the sign bit makes the
    // signed order of the longs the unsigned order of the values.
    private final long[] points;

    private Ketama(long[] points) {
        this.points = points;
    }

    static Ketama of(List<Server> servers) {
        long total = 0;
        for (Server s : servers) {
            total += s.weight();
        }
        int n = servers.size();
        long[] pts = new long[0];
        int count = 0;
        for (int si = 0; si < n; si++) {
            float pct = (float) servers.get(si).weight() / (float) total;
            float share = pct * POINTS_PER_SERVER / 4 * (float) n;
            float floored = (float) Math.floor((float) (share + 0.0000000001)); // the double literal, as in C
            int perServer = (int) (floored * 4);
            pts = Arrays.copyOf(pts, count + perServer);
            for (int p = 0; p < perServer / POINTS_PER_HASH; p++) {
                byte[] host = (servers.get(si).name() + "-" + p).getBytes(StandardCharsets.UTF_8);
                byte[] d = Md5.digest(host, 0, Math.min(host.length, MAX_HOST_LEN));
                for (int x = 0; x < POINTS_PER_HASH; x++) {
                    pts[count++] = key(Md5.word(d, x)) | si;
                }
            }
        }
        Arrays.sort(pts, 0, count); // equal values: nutcracker's qsort leaves their order open
        return new Ketama(Arrays.copyOf(pts, count));
    }

    private static long key(int value) {
        return (long) (value ^ Integer.MIN_VALUE) << 32;
    }

    @Override
    public int server(int hash) {
        long h = key(hash);
        int lo = 0;
        int hi = points.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if ((points[mid] & 0xffffffff00000000L) < h) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return (int) points[lo == points.length ? 0 : lo];
    }
}
