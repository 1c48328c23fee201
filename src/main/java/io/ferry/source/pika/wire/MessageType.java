package io.ferry.source.pika.wire;

/** {@code InnerMessage.Type}. HEART_BEAT is defined by Pika but never sent. */
public enum MessageType {
    META_SYNC(1), TRY_SYNC(2), DB_SYNC(3), BINLOG_SYNC(4), HEART_BEAT(5), REMOVE_SLAVE_NODE(6);

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** @throws IllegalArgumentException for a code no Pika version defines */
    public static MessageType of(int code) {
        for (MessageType t : values()) if (t.code == code) return t;
        throw new IllegalArgumentException("unknown InnerMessage.Type " + code);
    }
}
