package io.ferry.route.twemproxy;

/** A nutcracker configuration or pool Ferry cannot write to as nutcracker would: one line for the operator. */
public final class TwemproxyConfigException extends io.ferry.OperatorException {
    public TwemproxyConfigException(String message) {
        super(message);
    }
}
