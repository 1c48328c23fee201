package io.ferry.resp;

/** The server did not answer within the configured read timeout. */
public class RedisTimeoutException extends RedisException {
    public RedisTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
