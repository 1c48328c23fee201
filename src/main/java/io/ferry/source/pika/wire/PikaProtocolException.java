package io.ferry.source.pika.wire;

import java.io.IOException;

/** Bytes from (or for) a Pika master that do not follow the wire format: bad protobuf, bad binlog item, oversized frame. */
public class PikaProtocolException extends IOException {
    public PikaProtocolException(String message) {
        super(message);
    }
}
