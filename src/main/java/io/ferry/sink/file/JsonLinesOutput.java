package io.ferry.sink.file;

import io.ferry.rdb.KeyHeader;
import io.ferry.rdb.RawValue;
import io.ferry.rdb.ValueSink;
import io.ferry.target.JsonLinesWriter;
import java.io.OutputStream;

/** JSON Lines as {@code ferry decode} prints them; values are decoded as they are read. */
final class JsonLinesOutput implements OutputFormat {
    private final JsonLinesWriter json;

    JsonLinesOutput(OutputStream out) {
        json = new JsonLinesWriter(out);
    }

    @Override
    public boolean rawValues() {
        return false;
    }

    @Override
    public ValueSink beginKey(KeyHeader h) {
        return json.beginKey(h);
    }

    @Override
    public void endKey(KeyHeader h, RawValue raw) {
        json.endKey(h, raw);
    }

    @Override
    public void function(byte[] code) {
        json.function(code);
    }

    @Override
    public long keysWritten() {
        return json.keys();
    }

    @Override
    public long keysEmpty() {
        return 0; // printed like any key, as decode does
    }

    @Override
    public void finish() {
        json.close();
    }
}
