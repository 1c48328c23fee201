package io.ferry.resp;

/** Base of every failure raised by the RESP client; messages are one actionable line and never contain secrets. */
public class RedisException extends io.ferry.OperatorException {
    public RedisException(String message) {
        super(message);
    }

    public RedisException(String message, Throwable cause) {
        super(message, cause);
    }
}
