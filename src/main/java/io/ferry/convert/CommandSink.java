package io.ferry.convert;

/** Receives target commands for one key, in order. */
@FunctionalInterface
public interface CommandSink {
    void command(byte[]... argv);
}
