package io.ferry.sink.file;

import io.ferry.rdb.RdbHandler;
import java.io.IOException;

/**
 * One file format: receives the keys chosen for the file (their db already mapped) and the
 * function libraries, in order. Other RdbHandler calls (headers, aux fields) never reach it.
 */
interface OutputFormat extends RdbHandler {
    /** True when values arrive raw in endKey; false when they are decoded into beginKey's sink. */
    boolean rawValues();

    /** Keys the file holds. */
    long keysWritten();

    /** Keys left out by the format itself (empty collections). */
    long keysEmpty();

    /** Writes the end of the file and flushes it. */
    void finish() throws IOException;
}
