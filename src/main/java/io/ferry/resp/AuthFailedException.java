package io.ferry.resp;

/** The server rejected our credentials (or demands credentials we did not supply). */
public class AuthFailedException extends RedisException {
    public AuthFailedException(String message) {
        super(message);
    }
}
