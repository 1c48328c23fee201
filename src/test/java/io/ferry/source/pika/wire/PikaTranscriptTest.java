package io.ferry.source.pika.wire;

import static io.ferry.source.pika.wire.PbText.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every recorded frame of every Pika transcript parses to what the recorder's protoc decoded, and our encoders
 * reproduce its bytes (requests, responses, RsyncService messages); every binlog item round-trips.
 */
class PikaTranscriptTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HexFormat HEX = HexFormat.of();

    @TestFactory
    Stream<DynamicTest> everyFrameOfEveryTranscript() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String v : List.of("3.3.6", "3.5.5", "4.0.1")) {
            Path dir = Fixtures.requirePikaDir(v);
            try (Stream<Path> s = Files.list(dir)) {
                for (Path f : s.filter(p -> p.getFileName().toString().matches("(replication.*|dbsync)\\.transcript\\.jsonl")).sorted().toList()) {
                    tests.add(DynamicTest.dynamicTest(v + "/" + f.getFileName(), () -> checkTranscript(f)));
                }
            }
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(3 * 4);
        return tests.stream();
    }

    static final class Counts {
        int frames, events, omitted, items, keepalives;
    }

    static void checkTranscript(Path file) throws Exception {
        Counts c = new Counts();
        for (String line : Files.readAllLines(file)) {
            JsonNode row = JSON.readTree(line);
            if (row.has("event")) {
                c.events++;
                continue;
            }
            byte[] frame = row.has("hex_omitted") ? omittedFrame(file.getParent(), row, c) : HEX.parseHex(row.get("hex").asText());
            String where = file.getFileName() + " seq " + row.get("seq").asInt();
            assertThat(frame.length).as(where).isEqualTo(row.get("length").asInt() + 4);
            byte[] body = Frames.read(new java.io.ByteArrayInputStream(frame), 1 << 28);
            assertThat(body).as(where).hasSize(row.get("length").asInt());
            Map<String, List<Object>> text = PbText.parse(row.get("decoded").get("text").asText());
            switch (row.get("decoded").get("message").asText()) {
                case "InnerMessage.InnerRequest" -> checkRequest(where, body, text);
                case "InnerMessage.InnerResponse" -> checkResponse(where, body, text, row.get("decoded").get("binlog_items"), c);
                case "RsyncService.RsyncRequest" -> checkRsyncRequest(where, body, text);
                case "RsyncService.RsyncResponse" -> checkRsyncResponse(where, body, text, row.get("decoded").get("file_data"));
                default -> throw new AssertionError(where + ": unexpected message " + row.get("decoded").get("message"));
            }
            c.frames++;
        }
        assertThat(c.frames).as(file + " frames").isPositive();
        System.out.printf("%s: %d frames (%d rebuilt from hex_omitted), %d events, %d binlog items, %d keepalives%n",
                file.getParent().getFileName() + "/" + file.getFileName(), c.frames, c.omitted, c.events, c.items, c.keepalives);
    }

    /** hex_before_data ‖ data ‖ hex_after_data; data from snapshot/ when its sha256 matches (then the frame hash is checked), else zeros. */
    static byte[] omittedFrame(Path versionDir, JsonNode row, Counts c) throws Exception {
        JsonNode d = row.get("decoded");
        int len = d.get("file_data").get("length").asInt();
        String name = str(msg(PbText.parse(d.get("text").asText()), "file_resp"), "filename");
        Path snap = versionDir.resolve("snapshot").resolve(name);
        byte[] data = new byte[len];
        boolean real = false;
        if (Files.isRegularFile(snap)) {
            byte[] all = Files.readAllBytes(snap);
            long off = num(msg(PbText.parse(d.get("text").asText()), "file_resp"), "offset", 0);
            if (off + len <= all.length) {
                byte[] part = java.util.Arrays.copyOfRange(all, (int) off, (int) off + len);
                if (sha256(part).equals(d.get("file_data").get("sha256").asText())) {
                    data = part;
                    real = true;
                }
            }
        }
        byte[] before = HEX.parseHex(d.get("hex_before_data").asText()), after = HEX.parseHex(d.get("hex_after_data").asText());
        byte[] frame = new byte[before.length + len + after.length];
        System.arraycopy(before, 0, frame, 0, before.length);
        System.arraycopy(data, 0, frame, before.length, len);
        System.arraycopy(after, 0, frame, before.length + len, after.length);
        if (real) assertThat(sha256(frame)).as("rebuilt frame of seq " + row.get("seq")).isEqualTo(row.get("sha256_of_frame").asText());
        c.omitted++;
        return frame;
    }

    static String sha256(byte[] b) throws Exception {
        return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static MessageType type(String t) {
        return switch (t) {
            case "kMetaSync" -> MessageType.META_SYNC;
            case "kTrySync" -> MessageType.TRY_SYNC;
            case "kDBSync" -> MessageType.DB_SYNC;
            case "kBinlogSync" -> MessageType.BINLOG_SYNC;
            case "kHeatBeat" -> MessageType.HEART_BEAT;
            case "kRemoveSlaveNode" -> MessageType.REMOVE_SLAVE_NODE;
            default -> throw new AssertionError(t);
        };
    }

    static void checkNode(String where, Map<String, List<Object>> t, Node n) {
        assertThat(n).as(where + " node").isEqualTo(new Node(str(t, "ip"), (int) num(t, "port", -1)));
    }

    static void checkOffset(String where, Map<String, List<Object>> t, BinlogOffset o) {
        assertThat(o).as(where).isEqualTo(new BinlogOffset(num(t, "filenum", 0), num(t, "offset", 0), num(t, "term", -1), num(t, "index", -1)));
    }

    /** partition{table_name, partition_id} or slot{db_name, slot_id}. */
    static Map<String, List<Object>> slotOf(Map<String, List<Object>> t) {
        return msg(t, first(t, "partition", "slot"));
    }

    static String slotDb(Map<String, List<Object>> s) {
        return str(s, first(s, "table_name", "db_name"));
    }

    static long slotId(Map<String, List<Object>> s) {
        return num(s, first(s, "partition_id", "slot_id"), -1);
    }

    static void checkRequest(String where, byte[] body, Map<String, List<Object>> t) throws Exception {
        InnerRequest.Parsed p = InnerRequest.parse(body);
        MessageType type = type(tok(t, "type"));
        assertThat(p.type()).as(where).isEqualTo(type);
        byte[] again = switch (type) {
            case META_SYNC -> {
                Map<String, List<Object>> m = msg(t, "meta_sync");
                checkNode(where, msg(m, "node"), p.node());
                assertThat(p.auth()).as(where + " auth").isEqualTo(str(m, "auth"));
                yield InnerRequest.metaSync(p.node(), p.auth());
            }
            case TRY_SYNC, DB_SYNC -> {
                Map<String, List<Object>> m = msg(t, type == MessageType.TRY_SYNC ? "try_sync" : "db_sync");
                checkNode(where, msg(m, "node"), p.node());
                assertThat(p.db()).as(where).isEqualTo(slotDb(slotOf(m)));
                assertThat(p.slot()).as(where).isEqualTo(slotId(slotOf(m)));
                checkOffset(where, msg(m, "binlog_offset"), p.offset());
                yield type == MessageType.TRY_SYNC ? InnerRequest.trySync(p.node(), p.db(), p.slot(), p.offset()) : InnerRequest.dbSync(p.node(), p.db(), p.slot(), p.offset());
            }
            case BINLOG_SYNC -> {
                Map<String, List<Object>> m = msg(t, "binlog_sync");
                checkNode(where, msg(m, "node"), p.node());
                assertThat(p.db()).as(where).isEqualTo(str(m, first(m, "table_name", "db_name")));
                assertThat(p.slot()).as(where).isEqualTo(num(m, first(m, "partition_id", "slot_id"), -1));
                checkOffset(where + " ack start", msg(m, "ack_range_start"), p.ackStart());
                checkOffset(where + " ack end", msg(m, "ack_range_end"), p.ackEnd());
                assertThat(p.sessionId()).as(where).isEqualTo(num(m, "session_id", -1));
                assertThat(p.firstSend()).as(where).isEqualTo(Boolean.parseBoolean(tok(m, "first_send")));
                yield InnerRequest.binlogSync(p.node(), p.db(), p.slot(), p.ackStart(), p.ackEnd(), p.sessionId(), p.firstSend());
            }
            case REMOVE_SLAVE_NODE -> {
                List<Map<String, List<Object>>> rs = msgs(t, "remove_slave_node");
                assertThat(p.removedDbs()).as(where).containsExactlyElementsOf(rs.stream().map(r -> slotDb(slotOf(r))).toList());
                checkNode(where, msg(rs.get(0), "node"), p.node());
                yield InnerRequest.removeSlaveNode(p.node(), p.removedDbs());
            }
            default -> throw new AssertionError(where + " " + type);
        };
        assertThat(HEX.formatHex(again)).as(where + ": our encoding of the recorded request").isEqualTo(HEX.formatHex(body));
    }

    static void checkResponse(String where, byte[] body, Map<String, List<Object>> t, JsonNode items, Counts c) throws Exception {
        InnerResponse r = InnerResponse.parse(body);
        assertThat(r.type()).as(where).isEqualTo(type(tok(t, "type")));
        assertThat(r.code()).as(where).isEqualTo(switch (tok(t, "code")) {
            case "kOk" -> InnerResponse.Code.OK;
            case "kError" -> InnerResponse.Code.ERROR;
            case "kOther" -> InnerResponse.Code.OTHER;
            default -> throw new AssertionError(tok(t, "code"));
        });
        assertThat(r.reply()).as(where + " reply").isEqualTo(str(t, "reply"));
        Map<String, List<Object>> m = msg(t, "meta_sync");
        assertThat(r.metaSync() != null).as(where + " meta_sync present").isEqualTo(m != null);
        if (m != null) {
            assertThat(r.metaSync().classicMode()).isEqualTo(Boolean.parseBoolean(tok(m, "classic_mode")));
            List<InnerResponse.DbInfo> expected = msgs(m, first(m, "tables_info", "dbs_info") == null ? "dbs_info" : first(m, "tables_info", "dbs_info")).stream()
                    .map(d -> new InnerResponse.DbInfo(str(d, first(d, "table_name", "db_name")), (int) num(d, first(d, "partition_num", "slot_num"), -1), (int) num(d, "db_instance_num", -1)))
                    .toList();
            assertThat(expected).isNotEmpty();
            assertThat(r.metaSync().dbs()).as(where).isEqualTo(expected);
            assertThat(r.metaSync().runId()).as(where).isEqualTo(str(m, "run_id"));
            assertThat(r.metaSync().replicationId()).as(where).isEqualTo(str(m, "replication_id"));
        }
        if ((m = msg(t, "db_sync")) != null) {
            assertThat(r.dbSync()).as(where).isEqualTo(new InnerResponse.DbSync(slotDb(slotOf(m)), (int) slotId(slotOf(m)), (int) num(m, "session_id", -1)));
        } else {
            assertThat(r.dbSync()).as(where).isNull();
        }
        if ((m = msg(t, "try_sync")) != null) {
            InnerResponse.TrySync ts = r.trySync();
            assertThat(ts.reply()).as(where).isEqualTo(switch (tok(m, "reply_code")) {
                case "kOk" -> InnerResponse.TrySyncReply.OK;
                case "kSyncPointBePurged" -> InnerResponse.TrySyncReply.SYNC_POINT_BE_PURGED;
                case "kSyncPointLarger" -> InnerResponse.TrySyncReply.SYNC_POINT_LARGER;
                case "kError" -> InnerResponse.TrySyncReply.ERROR;
                default -> throw new AssertionError(tok(m, "reply_code"));
            });
            assertThat(ts.db()).isEqualTo(slotDb(slotOf(m)));
            assertThat(ts.slot()).isEqualTo(slotId(slotOf(m)));
            if (msg(m, "binlog_offset") == null) assertThat(ts.masterOffset()).as(where).isNull();
            else checkOffset(where, msg(m, "binlog_offset"), ts.masterOffset());
            assertThat(ts.sessionId()).as(where).isEqualTo(num(m, "session_id", -1));
        } else {
            assertThat(r.trySync()).as(where).isNull();
        }
        List<Map<String, List<Object>>> pushes = msgs(t, "binlog_sync");
        assertThat(r.binlogs()).as(where).hasSize(pushes.size());
        if (!pushes.isEmpty()) assertThat(items.size()).as(where + " binlog_items").isEqualTo(pushes.size());
        for (int i = 0; i < pushes.size(); i++) {
            InnerResponse.BinlogPush p = r.binlogs().get(i);
            Map<String, List<Object>> pt = pushes.get(i);
            String w = where + " item " + i;
            assertThat(p.db()).as(w).isEqualTo(slotDb(slotOf(pt)));
            assertThat(p.slot()).as(w).isEqualTo(slotId(slotOf(pt)));
            checkOffset(w, msg(pt, "binlog_offset"), p.offset());
            assertThat(p.sessionId()).as(w).isEqualTo(num(pt, "session_id", -1));
            assertThat(p.binlog()).as(w).isEqualTo(bytes(pt, "binlog"));
            checkItem(w, p, items.get(i), c);
        }
        List<Map<String, List<Object>>> removed = msgs(t, "remove_slave_node");
        assertThat(r.removedNodes()).as(where).containsExactlyElementsOf(removed.stream().map(x -> new Node(str(msg(x, "node"), "ip"), (int) num(msg(x, "node"), "port", -1))).toList());
        assertThat(r.removed().stream().map(InnerResponse.Removed::db).toList()).containsExactlyElementsOf(removed.stream().map(x -> slotDb(slotOf(x))).toList());
        assertThat(HEX.formatHex(r.encode())).as(where + ": re-encoded response").isEqualTo(HEX.formatHex(body));
    }

    static void checkItem(String w, InnerResponse.BinlogPush p, JsonNode item, Counts c) throws Exception {
        JsonNode o = item.get("pb_binlog_offset");
        assertThat(p.offset()).as(w).isEqualTo(new BinlogOffset(o.get("filenum").asLong(), o.get("offset").asLong(),
                o.has("term") ? o.get("term").asLong() : -1, o.has("index") ? o.get("index").asLong() : -1));
        assertThat(p.sessionId()).as(w).isEqualTo(item.get("session_id").asInt());
        if (item.path("keepalive").asBoolean()) {
            assertThat(p.keepalive()).as(w).isTrue();
            c.keepalives++;
            return;
        }
        assertThat(p.keepalive()).as(w).isFalse();
        BinlogItem b = BinlogItem.parse(p.binlog());
        JsonNode h = item.get("header");
        assertThat(new long[] {b.type(), b.execTime(), b.termId(), b.logicId(), b.filenum(), b.offset(), p.binlog().length - BinlogItem.HEADER_LENGTH})
                .as(w + " header").containsExactly(h.get("type").asLong(), h.get("exec_time").asLong(), h.get("term_id").asLong(), h.get("logic_id").asLong(),
                        h.get("filenum").asLong(), h.get("offset").asLong(), h.get("content_len").asLong());
        List<String> argv = new ArrayList<>();
        item.get("argv").forEach(a -> argv.add(a.asText()));
        assertThat(Stream.of(b.argv()).map(a -> new String(a, StandardCharsets.ISO_8859_1)).toList()).as(w + " argv").isEqualTo(argv);
        assertThat(BinlogItem.encode(b)).as(w + " encode(parse(x))").isEqualTo(p.binlog());
        c.items++;
    }

    static void checkRsyncRequest(String where, byte[] body, Map<String, List<Object>> t) throws Exception {
        RsyncMessages.Request r = RsyncMessages.parseRequest(body);
        assertThat(r.type().name()).as(where).isEqualTo(tok(t, "type").equals("kRsyncMeta") ? "META" : "FILE");
        assertThat(r.readerIndex()).as(where).isEqualTo(num(t, "reader_index", -1));
        assertThat(r.db()).as(where).isEqualTo(str(t, "db_name"));
        assertThat(r.slot()).as(where).isEqualTo(num(t, "slot_id", -1));
        Map<String, List<Object>> f = msg(t, "file_req");
        byte[] again;
        if (f == null) {
            assertThat(r.filename()).isNull();
            again = RsyncMessages.metaRequest(r.db(), r.readerIndex());
        } else {
            assertThat(r.filename()).as(where).isEqualTo(str(f, "filename"));
            assertThat(r.count()).as(where).isEqualTo(num(f, "count", -1));
            assertThat(r.offset()).as(where).isEqualTo(num(f, "offset", -1));
            again = RsyncMessages.fileRequest(r.db(), r.readerIndex(), r.filename(), r.count(), r.offset());
        }
        assertThat(HEX.formatHex(again)).as(where + ": our RsyncRequest").isEqualTo(HEX.formatHex(body));
    }

    static void checkRsyncResponse(String where, byte[] body, Map<String, List<Object>> t, JsonNode fileData) throws Exception {
        RsyncMessages.Response r = RsyncMessages.parseResponse(body);
        assertThat(r.type().name()).as(where).isEqualTo(tok(t, "type").equals("kRsyncMeta") ? "META" : "FILE");
        assertThat(r.readerIndex()).as(where).isEqualTo(num(t, "reader_index", -1));
        assertThat(r.snapshotUuid()).as(where).isEqualTo(str(t, "snapshot_uuid"));
        assertThat(r.db()).as(where).isEqualTo(str(t, "db_name"));
        assertThat(r.slot()).as(where).isEqualTo(num(t, "slot_id", -1));
        assertThat(r.code().name()).as(where).isEqualTo(tok(t, "code").equals("kOk") ? "OK" : "ERR");
        Map<String, List<Object>> meta = msg(t, "meta_resp");
        if (meta == null) assertThat(r.filenames()).isNull();
        else assertThat(r.filenames()).as(where).containsExactlyElementsOf(meta.get("filenames").stream().map(b -> new String((byte[]) b, StandardCharsets.ISO_8859_1)).toList());
        Map<String, List<Object>> f = msg(t, "file_resp");
        if (f == null) {
            assertThat(r.file()).isNull();
        } else {
            RsyncMessages.FileChunk c = r.file();
            assertThat(c.eof()).as(where).isEqualTo(num(f, "eof", 0) != 0);
            assertThat(c.count()).as(where).isEqualTo(num(f, "count", -1));
            assertThat(c.offset()).as(where).isEqualTo(num(f, "offset", -1));
            assertThat(c.checksum()).as(where).isEqualTo(str(f, "checksum"));
            assertThat(c.filename()).as(where).isEqualTo(str(f, "filename"));
            assertThat(c.data()).as(where).hasSize(fileData.get("length").asInt());
            assertThat(tok(f, "data")).isEqualTo("<" + c.data().length + " bytes>");
        }
        assertThat(HEX.formatHex(RsyncMessages.encode(r))).as(where + ": re-encoded RsyncResponse").isEqualTo(HEX.formatHex(body));
    }
}
