package io.ferry.source.pika.binlog;

/** A logged item that does not have the shape its command needs (a bug on the master or a damaged stream). */
public final class MalformedBinlogItemException extends RuntimeException {
    private final transient byte[][] argv;

    public MalformedBinlogItemException(String problem, byte[][] argv) {
        super(problem + ": " + Argv.show(argv));
        this.argv = argv;
    }

    public byte[][] argv() {
        return argv;
    }
}
