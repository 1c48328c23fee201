package io.ferry.filter;

import io.ferry.rdb.KeyHeader;
import io.ferry.rdb.RdbHandler;
import io.ferry.rdb.ValueSink;

/** Passes only accepted keys on to the next handler; rejected values are skipped undecoded. */
public final class FilteringHandler implements RdbHandler {
    private final KeyFilter filter;
    private final RdbHandler next;
    private long skipped;
    private boolean passing;

    public FilteringHandler(KeyFilter filter, RdbHandler next) {
        this.filter = filter;
        this.next = next;
    }

    public long skipped() {
        return skipped;
    }

    @Override
    public void header(int rdbVersion, boolean valkeyMagic) {
        next.header(rdbVersion, valkeyMagic);
    }

    @Override
    public void aux(byte[] name, byte[] value) {
        next.aux(name, value);
    }

    @Override
    public void selectDb(int db) {
        next.selectDb(db);
    }

    @Override
    public void resizeDb(long dbSize, long expiresSize) {
        next.resizeDb(dbSize, expiresSize);
    }

    @Override
    public void function(byte[] code) {
        next.function(code);
    }

    @Override
    public void moduleAux(String moduleName, long moduleId) {
        next.moduleAux(moduleName, moduleId);
    }

    @Override
    public ValueSink beginKey(KeyHeader h) {
        passing = filter.accepts(h.db, h.key, h.type());
        if (!passing) {
            skipped++;
            return null;
        }
        return next.beginKey(h);
    }

    @Override
    public void endKey(KeyHeader h, io.ferry.rdb.RawValue rawPayload) {
        if (passing) {
            next.endKey(h, rawPayload);
        } else if (rawPayload != null) {
            rawPayload.release(); // a big value left out was still spilled to disk
        }
    }

    @Override
    public void end() {
        next.end();
    }
}
