package io.ferry.check;

/** The check stops early (another thread failed, or it was interrupted). */
final class CheckAborted extends RuntimeException {
    CheckAborted(String message) {
        super(message);
    }
}
