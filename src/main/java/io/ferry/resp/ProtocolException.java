package io.ferry.resp;

/** The byte stream is not valid RESP; the connection is unusable afterwards. */
public class ProtocolException extends RedisException {
    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
