package io.ferry.source.pika;

import io.ferry.source.pika.wire.InnerResponse;

/** The Pika master refused a replication request (its status code and reply text, e.g. "Slave AlreadyExist"). */
public final class PikaRefusedException extends java.io.IOException {
    private final InnerResponse.Code code;

    public PikaRefusedException(String request, InnerResponse.Code code, String reply) {
        super("the Pika master refused " + request + ": " + code + (reply == null || reply.isEmpty() ? "" : " (" + reply + ")"));
        this.code = code;
    }

    public InnerResponse.Code code() {
        return code;
    }
}
