package io.ferry.resp;

/** An established connection broke (peer closed, reset, or closed locally); unanswered commands may or may not have run. */
public class ConnectionLostException extends RedisException {
    public ConnectionLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
