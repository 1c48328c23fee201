package io.ferry.sink.file;

import io.ferry.rdb.KeyHeader;
import io.ferry.rdb.RawValue;
import io.ferry.rdb.RdbHandler;
import io.ferry.rdb.ValueSink;
import java.util.function.IntUnaryOperator;

/**
 * Between one input's reader (behind the key filter) and the output: leaves out expired keys and
 * the copies that lose a conflict, maps each key's db, and hands the rest to the format.
 */
final class KeyChooser implements RdbHandler {
    private final OutputFormat out;
    private final IntUnaryOperator dbMap;
    private final Occurrences occurrences;
    private final long now;
    private KeyHeader current; // the mapped header of the key being passed on, or null
    long expired;
    long skipped;
    long superseded;
    long functions;

    KeyChooser(OutputFormat out, IntUnaryOperator dbMap, Occurrences occurrences, long now) {
        this.out = out;
        this.dbMap = dbMap;
        this.occurrences = occurrences;
        this.now = now;
    }

    static boolean expired(KeyHeader h, long now) {
        return h.expireAtMs != KeyHeader.NO_EXPIRE && h.expireAtMs <= now;
    }

    @Override
    public ValueSink beginKey(KeyHeader h) {
        current = null;
        if (expired(h, now)) {
            expired++;
            return null;
        }
        int db = dbMap.applyAsInt(h.db);
        switch (occurrences.decide(db, h.key)) {
            case SKIP:
                skipped++;
                return null;
            case SUPERSEDED:
                superseded++;
                return null;
            default:
                current = new KeyHeader(db, h.key, h.rdbType, h.expireAtMs, h.idleSeconds, h.lfuFreq, h.offset, h.keyMetadata);
                return out.beginKey(current);
        }
    }

    @Override
    public void endKey(KeyHeader h, RawValue raw) {
        if (current != null) {
            out.endKey(current, raw);
        } else if (raw != null) {
            raw.release();
        }
    }

    @Override
    public void function(byte[] code) {
        switch (occurrences.decide(Occurrences.FUNCTIONS, Occurrences.libraryName(code))) {
            case SKIP:
                skipped++;
                break;
            case SUPERSEDED:
                superseded++;
                break;
            default:
                out.function(code);
                functions++;
        }
    }
}
