package io.ferry.resp;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A callback that records what it was told, and how often. */
final class Outcome implements ReplyCallback {
    final AtomicInteger notifications = new AtomicInteger();
    private final CountDownLatch done = new CountDownLatch(1);
    volatile Reply reply;
    volatile Throwable failure;

    @Override
    public void onReply(Reply r) {
        reply = r;
        notifications.incrementAndGet();
        done.countDown();
    }

    @Override
    public void onFailure(Throwable cause) {
        failure = cause;
        notifications.incrementAndGet();
        done.countDown();
    }

    boolean await() throws InterruptedException {
        return done.await(10, TimeUnit.SECONDS);
    }
}
