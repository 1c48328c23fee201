package io.ferry.cli;

import io.ferry.filter.FilteringHandler;
import io.ferry.rdb.KeyHeader;
import io.ferry.rdb.RdbHandler;
import io.ferry.rdb.RdbReader;
import io.ferry.rdb.ValueSink;
import io.ferry.target.JsonLinesWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "decode",
        mixinStandardHelpOptions = true,
        description = {
            "Prints the keys of an RDB file as JSON Lines, one object per key, in file order:",
            "  {\"db\":0,\"key\":K,\"type\":T,\"expire_at_ms\":null|N,\"value\":V}",
            "Byte strings are JSON strings when valid UTF-8, otherwise {\"base64\":\"...\"}.",
            "Function libraries (Redis 7+) are printed as {\"function\":CODE}.",
            "A corrupt or truncated file exits with status 1 after the records that preceded the damage."
        })
public final class DecodeCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE.rdb", description = "RDB files, printed one after the other (one per shard of a cluster dump; '-' reads standard input).")
    List<Path> files;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to this file instead of standard output.")
    Path output;

    @Mixin
    FilterOptions filter;

    /** Longest record held back whole; a longer one is written as it grows (memory stays bounded). */
    static final int HOLD_LIMIT = 8 << 20;

    @Override
    public Integer call() throws Exception {
        var keyFilter = filter.toFilter();
        for (Path f : files) {
            if (!f.toString().equals("-")) {
                open(f).close(); // a missing file or a directory is refused before anything is printed
            }
        }
        try (OutputStream os = output == null ? new BufferedOutputStream(System.out, 1 << 16) : new BufferedOutputStream(Files.newOutputStream(output), 1 << 16);
                RecordOutputStream records = new RecordOutputStream(os, HOLD_LIMIT);
                JsonLinesWriter json = new JsonLinesWriter(records)) {
            boolean done = false;
            try {
                for (Path file : files) {
                    try (InputStream in = open(file)) {
                        new RdbReader(in).read(new FilteringHandler(keyFilter, new CommitPerRecord(json, records)));
                    } catch (io.ferry.rdb.RdbFormatException e) {
                        if (files.size() == 1) {
                            throw e;
                        }
                        throw new io.ferry.rdb.RdbFormatException(file + ": " + e.getMessage().replaceFirst(" \\(at byte offset \\d+\\)$", ""), e.offset(), e);
                    }
                }
                done = true;
            } finally {
                json.close(); // hands over what the generator buffers
                if (!done) {
                    records.dropUncommitted(); // the records before a failure stay, a half-written one goes
                }
            }
        }
        return 0;
    }

    /** Passes everything to the JSON writer and commits the output after each whole record. */
    private static final class CommitPerRecord implements RdbHandler {
        private final JsonLinesWriter json;
        private final RecordOutputStream records;

        CommitPerRecord(JsonLinesWriter json, RecordOutputStream records) {
            this.json = json;
            this.records = records;
        }

        private void commit() {
            try {
                records.commit();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void header(int rdbVersion, boolean valkeyMagic) {
            json.header(rdbVersion, valkeyMagic);
        }

        @Override
        public void aux(byte[] name, byte[] value) {
            json.aux(name, value);
        }

        @Override
        public void selectDb(int db) {
            json.selectDb(db);
        }

        @Override
        public void resizeDb(long dbSize, long expiresSize) {
            json.resizeDb(dbSize, expiresSize);
        }

        @Override
        public void function(byte[] code) {
            json.function(code);
            commit();
        }

        @Override
        public void moduleAux(String moduleName, long moduleId) {
            json.moduleAux(moduleName, moduleId);
        }

        @Override
        public ValueSink beginKey(KeyHeader header) {
            return json.beginKey(header);
        }

        @Override
        public void endKey(KeyHeader header, io.ferry.rdb.RawValue rawPayload) {
            json.endKey(header, rawPayload);
            commit();
        }

        @Override
        public void end() {
            json.end();
        }
    }

    static InputStream open(Path file) throws java.io.IOException {
        if (file.toString().equals("-")) {
            return System.in;
        }
        if (Files.isDirectory(file)) {
            throw new UserError(file + " is a directory, not an RDB file");
        }
        return Files.newInputStream(file);
    }
}
