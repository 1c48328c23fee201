package io.ferry.rdb;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * An RdbHandler that writes everything the reader reports as readable text lines (a
 * transcript), so a test states its expectation as plain strings and a failure shows a diff.
 * Byte strings appear escaped by {@link #text}, inside single quotes.
 */
final class Recorder implements RdbHandler, ValueSink {
    final List<String> lines = new ArrayList<>();
    private final Predicate<KeyHeader> decodeValue;

    Recorder() {
        this(h -> true);
    }

    /** Keys failing {@code decodeValue} get a null sink: the reader skips their values. */
    Recorder(Predicate<KeyHeader> decodeValue) {
        this.decodeValue = decodeValue;
    }

    /** The transcript of decoding {@code rdb} read whole. */
    static List<String> decode(byte[] rdb) {
        return decode(new ByteArrayInputStream(rdb));
    }

    static List<String> decode(InputStream in) {
        Recorder r = new Recorder();
        new RdbReader(in).read(r);
        return r.lines;
    }

    static String q(byte[] b) {
        return "'" + text(b) + "'";
    }

    /** Printable ASCII as is, everything else as \\xNN; never shortened (unlike RdbReader.printable). */
    static String text(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length);
        for (byte x : b) {
            int c = x & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.toString();
    }

    static String keyLine(int db, byte[] key, int type, long expireAt, long idle, int freq) {
        return "key db=" + db + " " + q(key) + " " + RdbType.name(type)
                + (expireAt == KeyHeader.NO_EXPIRE ? "" : " expire=" + expireAt)
                + (idle < 0 ? "" : " idle=" + idle)
                + (freq < 0 ? "" : " freq=" + freq);
    }

    @Override
    public void header(int rdbVersion, boolean valkeyMagic) {
        lines.add("header " + rdbVersion + (valkeyMagic ? " valkey" : ""));
    }

    @Override
    public void aux(byte[] name, byte[] value) {
        lines.add("aux " + q(name) + "=" + q(value));
    }

    @Override
    public void selectDb(int db) {
        lines.add("db " + db);
    }

    @Override
    public void resizeDb(long dbSize, long expiresSize) {
        lines.add("resize " + dbSize + " " + expiresSize);
    }

    @Override
    public void function(byte[] code) {
        lines.add("function " + q(code));
    }

    @Override
    public void moduleAux(String moduleName, long moduleId) {
        lines.add("module-aux " + moduleName + " " + Long.toHexString(moduleId));
    }

    @Override
    public ValueSink beginKey(KeyHeader h) {
        lines.add(keyLine(h.db, h.key, h.rdbType, h.expireAtMs, h.idleSeconds, h.lfuFreq));
        for (KeyMetadata m : h.keyMetadata) {
            StringBuilder sb = new StringBuilder("  meta " + m.className() + " v" + m.classVersion() + " flags=" + m.classFlags());
            for (ModuleValue.Item i : m.values()) {
                sb.append(' ').append(i.kind()).append(':').append(switch (i.kind()) {
                    case "string" -> q(i.string());
                    case "sint", "uint" -> Long.toUnsignedString(i.integer());
                    default -> Double.toString(i.number());
                });
            }
            lines.add(sb.toString());
        }
        return decodeValue.test(h) ? this : null;
    }

    @Override
    public void endKey(KeyHeader header, RawValue raw) {
        if (raw != null) {
            byte[] rawPayload = raw.bytes();
            lines.add("  raw " + rawPayload.length + " " + Long.toHexString(Crc64.of(rawPayload)));
        }
    }

    @Override
    public void end() {
        lines.add("end");
    }

    @Override
    public void string(byte[] value) {
        lines.add("  = " + q(value));
    }

    @Override
    public void listElement(byte[] element) {
        lines.add("  list " + q(element));
    }

    @Override
    public void setMember(byte[] member) {
        lines.add("  set " + q(member));
    }

    @Override
    public void zsetEntry(byte[] member, double score) {
        lines.add("  zset " + q(member) + " " + score);
    }

    @Override
    public void hashField(byte[] field, byte[] value, long expireAtMs) {
        lines.add("  hash " + q(field) + " " + q(value) + (expireAtMs < 0 ? "" : " ttl=" + expireAtMs));
    }

    @Override
    public void arrayStart(long count, long insertIndex) {
        lines.add("  array count=" + count + " insert=" + (insertIndex == -1 ? "none" : Long.toUnsignedString(insertIndex)));
    }

    @Override
    public void arrayElement(long index, byte[] value) {
        lines.add("  [" + Long.toUnsignedString(index) + "] " + q(value));
    }

    @Override
    public void module(String moduleName, long moduleId, byte[] payload) {
        lines.add("  module " + moduleName + " " + Long.toHexString(moduleId) + " " + payload.length + " bytes");
    }

    @Override
    public void streamEntry(StreamId id, List<byte[]> fields) {
        StringBuilder sb = new StringBuilder("  entry " + id);
        for (byte[] f : fields) {
            sb.append(' ').append(q(f));
        }
        lines.add(sb.toString());
    }

    @Override
    public void stream(StreamValue s) {
        lines.addAll(streamLines(s));
    }

    static List<String> streamLines(StreamValue s) {
        List<String> out = new ArrayList<>();
        out.add("  stream length=" + s.length() + " last=" + s.lastId() + " first=" + s.firstId()
                + " max-deleted=" + s.maxDeletedId() + " added=" + s.entriesAdded());
        for (StreamValue.Group g : s.groups()) {
            out.add("  group " + q(g.name()) + " last-delivered=" + g.lastDeliveredId() + " read=" + g.entriesRead());
            for (StreamValue.Pending p : g.pel()) {
                out.add("    pel " + p.id() + " time=" + p.deliveryTimeMs() + " count=" + p.deliveryCount());
            }
            for (StreamValue.Consumer c : g.consumers()) {
                out.add("    consumer " + q(c.name()) + " seen=" + c.seenTimeMs()
                        + " active=" + (c.activeTimeMs() == StreamValue.NOT_STORED ? "n/a" : Long.toString(c.activeTimeMs()))
                        + " pending=" + c.pending());
            }
            if (g.nacked() != null) {
                out.add("    nacked " + g.nacked());
            }
        }
        if (s.idmp() != null) {
            StreamValue.Idmp m = s.idmp();
            out.add("  idmp duration=" + m.durationSeconds() + " max=" + m.maxEntries() + " added=" + m.iidsAdded() + " duplicates=" + m.iidsDuplicates());
            for (StreamValue.Producer p : m.producers()) {
                StringBuilder sb = new StringBuilder("    producer " + q(p.pid()));
                for (StreamValue.Iid i : p.iids()) {
                    sb.append(' ').append(q(i.iid())).append('=').append(i.id());
                }
                out.add(sb.toString());
            }
        }
        return out;
    }
}
