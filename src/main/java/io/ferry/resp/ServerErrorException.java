package io.ferry.resp;

/** The server answered with an error reply where a value was expected. */
public class ServerErrorException extends RedisException {
    public ServerErrorException(String serverMessage) {
        super(serverMessage);
    }

    /** The error code, i.e. the first word of the server message ("ERR", "WRONGTYPE", "NOAUTH", ...). */
    public String code() {
        String m = getMessage();
        int sp = m.indexOf(' ');
        return sp < 0 ? m : m.substring(0, sp);
    }
}
