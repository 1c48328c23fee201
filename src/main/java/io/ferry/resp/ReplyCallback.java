package io.ferry.resp;

/** Receives the outcome of one pipelined command: exactly one of the two methods is called, exactly once. */
@FunctionalInterface
public interface ReplyCallback {
    void onReply(Reply reply);

    /**
     * The connection failed before the reply arrived; the command may or may not have run. By default the failure
     * is handed to {@link #onReply} as an error reply so that a plain lambda cannot miss it.
     */
    default void onFailure(Throwable cause) {
        onReply(Reply.error("ERR " + cause.getMessage()));
    }
}
