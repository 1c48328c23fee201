package io.ferry.status;

import java.io.IOException;

/** A client broke the protocol; the message is sent back before the connection closes. */
final class BadRequestException extends IOException {
    BadRequestException(String message) {
        super(message);
    }
}
