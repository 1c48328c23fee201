package io.ferry.target;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.ferry.rdb.Ints;
import io.ferry.rdb.KeyHeader;
import io.ferry.rdb.KeyMetadata;
import io.ferry.rdb.ModuleValue;
import io.ferry.rdb.RdbHandler;
import io.ferry.rdb.StreamId;
import io.ferry.rdb.StreamValue;
import io.ferry.rdb.ValueSink;
import io.ferry.rdb.ValueType;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes keys as JSON Lines, one object per key, streaming each value element by element so a
 * huge collection never sits in memory. Byte strings are JSON strings when valid UTF-8, else
 * {@code {"base64": …}}.
 */
public final class JsonLinesWriter implements RdbHandler, ValueSink, AutoCloseable {
    private final JsonGenerator g;
    private final OutputStream out;
    private List<byte[]> fieldTtlNames; // fields with a TTL, for field_expire_at_ms
    private List<Long> fieldTtlsAt;
    private long arrayLength; // one past the last array index seen
    private long keys;

    public JsonLinesWriter(OutputStream out) {
        try {
            this.out = out;
            this.g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
            g.setRootValueSeparator(null);
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long keys() {
        return keys;
    }

    private void bytes(byte[] b) throws IOException {
        if (Utf8.isValid(b)) {
            g.writeString(new String(b, StandardCharsets.UTF_8));
        } else {
            g.writeStartObject();
            g.writeStringField("base64", Base64.getEncoder().encodeToString(b));
            g.writeEndObject();
        }
    }

    private void newline() throws IOException {
        g.flush();
        out.write('\n');
    }

    @Override
    public void function(byte[] code) {
        try {
            g.writeStartObject();
            g.writeFieldName("function");
            bytes(code);
            g.writeEndObject();
            newline();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public ValueSink beginKey(KeyHeader h) {
        try {
            g.writeStartObject();
            g.writeNumberField("db", h.db);
            g.writeFieldName("key");
            bytes(h.key);
            ValueType t = h.type();
            g.writeStringField("type", t.label());
            g.writeFieldName("expire_at_ms");
            if (h.expireAtMs == KeyHeader.NO_EXPIRE) {
                g.writeNull();
            } else {
                g.writeNumber(h.expireAtMs);
            }
            if (h.lfuFreq >= 0) {
                g.writeNumberField("lfu_freq", h.lfuFreq);
            }
            if (h.idleSeconds >= 0) {
                g.writeNumberField("idle_seconds", h.idleSeconds);
            }
            if (!h.keyMetadata.isEmpty()) {
                keyMetadata(h.keyMetadata);
            }
            g.writeFieldName("value");
            if (t == ValueType.LIST || t == ValueType.SET || t == ValueType.ZSET || t == ValueType.HASH) {
                g.writeStartArray();
            } else if (t == ValueType.STREAM) {
                g.writeStartObject(); // entries arrive one by one, the rest of the stream after them
                g.writeArrayFieldStart("entries");
            } else if (t == ValueType.ARRAY) {
                g.writeStartObject(); // count and elements first; the length is known after the last element
            }
            fieldTtlNames = null;
            arrayLength = 0;
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void endKey(KeyHeader h, io.ferry.rdb.RawValue rawPayload) {
        try {
            ValueType t = h.type();
            if (t == ValueType.LIST || t == ValueType.SET || t == ValueType.ZSET || t == ValueType.HASH) {
                g.writeEndArray();
            } else if (t == ValueType.ARRAY) {
                g.writeEndArray(); // of the elements
                g.writeFieldName("length"); // ARLEN: one past the highest index
                unsigned(arrayLength);
                g.writeEndObject();
            }
            if (fieldTtlNames != null) {
                g.writeFieldName("field_expire_at_ms");
                g.writeStartArray();
                for (int i = 0; i < fieldTtlNames.size(); i++) {
                    g.writeStartArray();
                    bytes(fieldTtlNames.get(i));
                    g.writeNumber(fieldTtlsAt.get(i));
                    g.writeEndArray();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            newline();
            keys++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void string(byte[] value) {
        try {
            bytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void listElement(byte[] element) {
        string(element);
    }

    @Override
    public void setMember(byte[] member) {
        string(member);
    }

    @Override
    public void zsetEntry(byte[] member, double score) {
        try {
            g.writeStartArray();
            bytes(member);
            score(score);
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void score(double d) throws IOException {
        if (Double.isInfinite(d) || Double.isNaN(d)) {
            g.writeString(Ints.formatScore(d));
        } else {
            g.writeNumber(d);
        }
    }

    @Override
    public void hashField(byte[] field, byte[] value, long expireAtMs) {
        try {
            g.writeStartArray();
            bytes(field);
            bytes(value);
            g.writeEndArray();
            if (expireAtMs >= 0) {
                if (fieldTtlNames == null) {
                    fieldTtlNames = new ArrayList<>();
                    fieldTtlsAt = new ArrayList<>();
                }
                fieldTtlNames.add(field);
                fieldTtlsAt.add(expireAtMs);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void arrayStart(long count, long insertIndex) {
        try {
            g.writeNumberField("count", count);
            g.writeFieldName("insert_idx");
            if (insertIndex == -1) {
                g.writeNull();
            } else {
                unsigned(insertIndex);
            }
            g.writeArrayFieldStart("elements");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void arrayElement(long index, byte[] value) {
        try {
            g.writeStartArray();
            unsigned(index);
            bytes(value);
            g.writeEndArray();
            arrayLength = index + 1; // elements come in index order
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void unsigned(long v) throws IOException {
        if (v >= 0) {
            g.writeNumber(v);
        } else {
            g.writeNumber(new java.math.BigInteger(Long.toUnsignedString(v)));
        }
    }

    private void keyMetadata(List<KeyMetadata> classes) throws IOException {
        g.writeArrayFieldStart("key_metadata");
        for (KeyMetadata m : classes) {
            g.writeStartObject();
            g.writeStringField("class_name", m.className());
            g.writeNumberField("class_version", m.classVersion());
            g.writeNumberField("class_flags", m.classFlags());
            g.writeArrayFieldStart("values");
            for (ModuleValue.Item item : m.values()) {
                g.writeStartArray();
                g.writeString(item.kind());
                switch (item.kind()) {
                    case "string" -> bytes(item.string());
                    case "uint" -> unsigned(item.integer());
                    case "sint" -> g.writeNumber(item.integer());
                    default -> g.writeNumber(item.number());
                }
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    @Override
    public void streamEntry(StreamId id, List<byte[]> fields) {
        try {
            g.writeStartObject();
            g.writeStringField("id", id.toString());
            g.writeArrayFieldStart("fields");
            for (int i = 0; i < fields.size(); i += 2) {
                g.writeStartArray();
                bytes(fields.get(i));
                bytes(fields.get(i + 1));
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stream(StreamValue s) {
        try {
            g.writeEndArray(); // of the entries
            g.writeNumberField("length", s.length());
            g.writeStringField("last_id", s.lastId().toString());
            id("first_id", s.firstId());
            id("max_deleted_entry_id", s.maxDeletedId());
            optionalCount("entries_added", s.entriesAdded());
            g.writeArrayFieldStart("groups");
            for (StreamValue.Group gr : s.groups()) {
                group(gr);
            }
            g.writeEndArray();
            if (s.idmp() != null) {
                idmp(s.idmp());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void idmp(StreamValue.Idmp m) throws IOException {
        g.writeObjectFieldStart("idmp");
        g.writeNumberField("duration_s", m.durationSeconds());
        g.writeNumberField("max_entries", m.maxEntries());
        g.writeArrayFieldStart("producers");
        for (StreamValue.Producer p : m.producers()) {
            g.writeStartObject();
            g.writeFieldName("pid");
            bytes(p.pid());
            g.writeArrayFieldStart("entries");
            for (StreamValue.Iid i : p.iids()) {
                g.writeStartObject();
                g.writeFieldName("iid");
                bytes(i.iid());
                g.writeStringField("id", i.id().toString());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("iids_added", m.iidsAdded());
        g.writeNumberField("iids_duplicates", m.iidsDuplicates());
        g.writeEndObject();
    }

    private void group(StreamValue.Group gr) throws IOException {
        Map<StreamId, byte[]> owner = new HashMap<>();
        for (StreamValue.Consumer c : gr.consumers()) {
            for (StreamId id : c.pending()) {
                owner.put(id, c.name());
            }
        }
        g.writeStartObject();
        g.writeFieldName("name");
        bytes(gr.name());
        g.writeStringField("last_delivered_id", gr.lastDeliveredId().toString());
        optionalCount("entries_read", gr.entriesRead());
        g.writeArrayFieldStart("pel");
        for (StreamValue.Pending p : gr.pel()) {
            g.writeStartObject();
            g.writeStringField("id", p.id().toString());
            g.writeFieldName("consumer");
            byte[] c = owner.get(p.id());
            if (c == null) {
                g.writeNull();
            } else {
                bytes(c);
            }
            g.writeNumberField("delivery_time_ms", p.deliveryTimeMs());
            g.writeNumberField("delivery_count", p.deliveryCount());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("consumers");
        for (StreamValue.Consumer c : gr.consumers()) {
            g.writeStartObject();
            g.writeFieldName("name");
            bytes(c.name());
            g.writeNumberField("seen_time_ms", c.seenTimeMs());
            if (c.activeTimeMs() == StreamValue.NOT_STORED) {
                g.writeNullField("active_time_ms");
            } else {
                g.writeNumberField("active_time_ms", c.activeTimeMs());
            }
            g.writeArrayFieldStart("pending");
            for (StreamId id : c.pending()) {
                g.writeString(id.toString());
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        if (gr.nacked() != null) {
            g.writeArrayFieldStart("nacked");
            for (StreamId id : gr.nacked()) {
                g.writeString(id.toString());
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private void id(String name, StreamId id) throws IOException {
        if (id == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, id.toString());
        }
    }

    /** Writes a counter, or null when the format does not store it (-1). */
    private void optionalCount(String name, long v) throws IOException {
        if (v < 0) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, v);
        }
    }

    @Override
    public void module(String moduleName, long moduleId, byte[] payload) {
        try {
            g.writeStartObject();
            g.writeStringField("module", moduleName);
            g.writeObjectFieldStart("payload");
            g.writeStringField("base64", Base64.getEncoder().encodeToString(payload));
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            g.flush();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
