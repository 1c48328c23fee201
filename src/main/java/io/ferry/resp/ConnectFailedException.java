package io.ferry.resp;

/** The TCP connection or TLS handshake to the server could not be established. */
public class ConnectFailedException extends RedisException {
    public ConnectFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
