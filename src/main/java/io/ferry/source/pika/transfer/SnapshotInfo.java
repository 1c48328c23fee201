package io.ferry.source.pika.transfer;

import io.ferry.source.pika.wire.BinlogOffset;
import io.ferry.source.pika.wire.PikaProtocolException;
import java.nio.charset.StandardCharsets;

/**
 * The dump's {@code info} file (PIKA.md §4.3): BGSAVE duration, master ip, master port, binlog filenum, binlog offset,
 * and term/index only when the master runs with consensus. Incremental sync continues (TrySync) from filenum/offset.
 */
public final class SnapshotInfo {
    private final String duration;
    private final String masterIp;
    private final int masterPort;
    private final long filenum;
    private final long offset;
    private final long term;
    private final long index;

    private SnapshotInfo(String duration, String masterIp, int masterPort, long filenum, long offset, long term, long index) {
        this.duration = duration;
        this.masterIp = masterIp;
        this.masterPort = masterPort;
        this.filenum = filenum;
        this.offset = offset;
        this.term = term;
        this.index = index;
    }

    public static SnapshotInfo parse(byte[] content) throws PikaProtocolException {
        String[] lines = new String(content, StandardCharsets.ISO_8859_1).split("\n");
        if (lines.length < 5) throw new PikaProtocolException("snapshot info has " + lines.length + " lines, needs 5 (duration, ip, port, filenum, offset)");
        try {
            long term = lines.length >= 7 ? Long.parseLong(lines[5].trim()) : -1;
            long index = lines.length >= 7 ? Long.parseLong(lines[6].trim()) : -1;
            return new SnapshotInfo(lines[0].trim(), lines[1].trim(), Integer.parseInt(lines[2].trim()),
                    Long.parseLong(lines[3].trim()), Long.parseLong(lines[4].trim()), term, index);
        } catch (NumberFormatException e) {
            throw new PikaProtocolException("snapshot info is not numeric where it must be: " + e.getMessage());
        }
    }

    public String duration() { return duration; }

    public String masterIp() { return masterIp; }

    public int masterPort() { return masterPort; }

    public long filenum() { return filenum; }

    public long offset() { return offset; }

    /** -1 when absent (no consensus). */
    public long term() { return term; }

    public long index() { return index; }

    /** Where TrySync continues after the snapshot. */
    public BinlogOffset position() {
        return BinlogOffset.of(filenum, offset);
    }

    @Override
    public String toString() {
        return "SnapshotInfo[" + masterIp + ":" + masterPort + " at " + filenum + "/" + offset + "]";
    }
}
