package io.ferry.resp;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Continuous pipelining over one {@link RedisConnection}: the producer thread buffers commands with
 * {@link #send}, a dedicated reader thread matches replies to callbacks in FIFO order.
 *
 * <p>Commands go out when the buffer passes 64 KiB, when {@link #send} has to wait for the window, and on
 * {@link #flush()} / {@link #drain()}; call {@link #flush()} when a burst ends. In-flight commands are bounded by
 * count and by encoded bytes; {@link #send} blocks while the window is full (a single command larger than the
 * byte window is still sent, alone).
 *
 * <p>Every callback passed to {@link #send} gets exactly one notification. If the connection fails, pending
 * callbacks get {@link ReplyCallback#onFailure}, and so does the callback of every later {@code send}, which
 * then throws the failure; when {@code send}, {@code flush} or {@code drain} throw it, every callback has been
 * notified. If the connection has a read timeout, commands left unanswered for about that long (up to twice
 * the timeout) fail with {@link RedisTimeoutException}; an idle pipeline does not time out.
 *
 * <p>Threading: one producer thread calls {@code send}, {@code flush}, {@code drain} and {@code close};
 * callbacks run on the reader thread (or, for failures seen by {@code send}, on the producer) and must not
 * call {@code send}.
 */
public final class PipelinedConnection implements Closeable {
    private static final int FLUSH_THRESHOLD = 64 * 1024;
    private static final Duration READER_EXIT_TIMEOUT = Duration.ofSeconds(10);

    private final RedisConnection conn;
    private final OutputStream out;
    private final int maxCommands;
    private final long maxBytes;
    private final RespWriter writer = new RespWriter();
    // Ring of pending commands, slot = sequence % maxCommands; the window guarantees slots are free when reused.
    private final AtomicReferenceArray<ReplyCallback> callbacks;
    private final long[] sizes;
    private final AtomicReference<RedisException> failure = new AtomicReference<>();
    private final Thread readerThread;

    private volatile long sent; // written by the producer only
    private long sentBytes;
    private volatile long acked; // written by the reader only
    private volatile long ackedBytes;
    private volatile Thread waiter;
    private volatile long wakeAcked;
    private volatile long wakeAckedBytes;
    private volatile long flushed; // value of sent at the last completed flush
    private volatile long lastFlushNanos;
    private boolean closed;

    /**
     * Takes over {@code conn} (do not use it directly afterwards) and starts the reader thread.
     *
     * @param maxInFlightCommands most commands sent but not yet answered
     * @param maxInFlightBytes most encoded bytes of commands sent but not yet answered
     */
    public PipelinedConnection(RedisConnection conn, int maxInFlightCommands, long maxInFlightBytes) {
        if (maxInFlightCommands < 1 || maxInFlightBytes < 1) {
            throw new IllegalArgumentException("in-flight limits must be positive, got " + maxInFlightCommands
                    + " commands and " + maxInFlightBytes + " bytes");
        }
        this.conn = conn;
        this.out = conn.out();
        this.maxCommands = maxInFlightCommands;
        this.maxBytes = maxInFlightBytes;
        this.callbacks = new AtomicReferenceArray<>(maxInFlightCommands);
        this.sizes = new long[maxInFlightCommands];
        this.readerThread = new Thread(this::readLoop, "ferry-pipeline-" + conn.describe());
        readerThread.setDaemon(true);
        readerThread.start();
    }

    /** Queues one command; blocks while the in-flight window is full. Throws the failure if the connection failed. */
    public void send(byte[][] argv, ReplyCallback callback) {
        Objects.requireNonNull(callback, "callback");
        long size = RespWriter.encodedSize(argv);
        try {
            throwIfFailed();
            awaitWindow(size);
        } catch (RedisException e) {
            notifyFailure(callback, e);
            throw e;
        }
        writer.command(argv, size); // nothing is flushed before the slot is published below
        long seq = sent;
        int slot = slot(seq);
        callbacks.setPlain(slot, callback);
        sizes[slot] = size;
        sentBytes += size;
        sent = seq + 1; // publishes the slot to the reader before the command can reach the wire
        // The reader may have swept before seeing this command; throwIfFailed sweeps again.
        throwIfFailed();
        if (writer.size() >= FLUSH_THRESHOLD) {
            flush();
        }
    }

    /** Writes buffered commands to the socket. */
    public void flush() {
        throwIfFailed();
        if (writer.size() == 0) {
            return;
        }
        try {
            long upTo = sent;
            writer.writeTo(out);
            lastFlushNanos = System.nanoTime();
            flushed = upTo;
        } catch (IOException e) {
            fail(conn.lost(e));
            throwIfFailed();
        }
    }

    /** Flushes and waits until every command sent so far got its reply (callbacks have run). */
    public void drain() {
        flush();
        awaitAcked(sent, sentBytes);
        throwIfFailed();
    }

    /** Commands sent but not answered yet. */
    public long inFlight() {
        return sent - acked;
    }

    public String describe() {
        return conn.describe();
    }

    /** Drains outstanding commands (unless the pipeline already failed), then closes the connection. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (failure.get() == null) {
                drain();
            }
        } finally {
            fail(new ConnectionLostException("pipeline to " + conn.describe() + " is closed", null));
            awaitReaderExit();
        }
    }

    private void awaitWindow(long size) {
        long inFlightCount = sent - acked;
        long inFlightBytes = sentBytes - ackedBytes;
        if (inFlightCount == 0 || inFlightCount < maxCommands && inFlightBytes + size <= maxBytes) {
            return;
        }
        // The replies we wait for need their commands on the wire.
        flush();
        // Wait for some slack rather than a single free slot, so the threads do not ping-pong per reply.
        long targetCount = maxCommands - Math.max(1, maxCommands / 8);
        long targetBytes = maxBytes - Math.max(size, maxBytes / 8);
        awaitAcked(sent - targetCount, sentBytes - Math.max(0, targetBytes));
        throwIfFailed();
    }

    /** Parks the producer until the reader acknowledged the given totals, or the pipeline failed. */
    private void awaitAcked(long count, long bytes) {
        wakeAcked = count;
        wakeAckedBytes = bytes;
        waiter = Thread.currentThread();
        try {
            while ((acked < count || ackedBytes < bytes) && failure.get() == null) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new RedisException("interrupted while waiting for replies from " + conn.describe());
                }
            }
        } finally {
            waiter = null;
        }
    }

    private void readLoop() {
        RespReader reader = conn.reader();
        long timeoutNanos = conn.readTimeout().toNanos();
        try {
            while (true) {
                long before = reader.bytesConsumed();
                Reply reply;
                try {
                    reply = reader.read();
                } catch (SocketTimeoutException e) {
                    // Nothing consumed means the read can be retried; only time out while commands wait for replies.
                    boolean idle = acked >= flushed || System.nanoTime() - lastFlushNanos < timeoutNanos;
                    if (reader.bytesConsumed() == before && idle) {
                        continue;
                    }
                    throw new RedisTimeoutException("no reply from " + conn.describe() + " within "
                            + conn.readTimeout().toMillis() + " ms; unanswered commands: " + (sent - acked), e);
                }
                long seq = acked;
                if (seq >= sent) {
                    throw new ProtocolException("reply without a pending command: " + reply);
                }
                int slot = slot(seq);
                ReplyCallback callback = callbacks.getAndSet(slot, null);
                if (callback == null) {
                    return; // a failure sweep already notified it; the pipeline is dead
                }
                try {
                    callback.onReply(reply);
                } catch (Throwable t) {
                    fail(new RedisException("reply callback for " + conn.describe() + " threw " + t, t));
                    return;
                }
                // Acknowledge only after the callback ran, so drain() implies all callbacks are done.
                // Count before bytes: a producer reading between the two sees the window as fuller, never emptier.
                long bytes = sizes[slot];
                acked = seq + 1;
                ackedBytes += bytes;
                Thread w = waiter;
                if (w != null && acked >= wakeAcked && ackedBytes >= wakeAckedBytes) {
                    LockSupport.unpark(w);
                }
            }
        } catch (IOException e) {
            fail(conn.lost(e));
        } catch (ProtocolException e) {
            fail(new ProtocolException(conn.describe() + ": " + e.getMessage(), e));
        } catch (RedisException e) {
            fail(e);
        } catch (Throwable t) {
            fail(new RedisException("pipeline reader for " + conn.describe() + " crashed: " + t, t));
        } finally {
            sweep();
        }
    }

    /** Records the first failure, closes the socket so both sides stop, and fails everything pending. */
    private void fail(RedisException e) {
        if (failure.compareAndSet(null, e)) {
            conn.close();
        }
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
        sweep();
    }

    /** Fails every pending callback not yet claimed; safe to run concurrently from both threads. */
    private void sweep() {
        RedisException e = failure.get();
        if (e == null) {
            return;
        }
        for (long seq = acked, end = sent; seq < end; seq++) {
            ReplyCallback callback = callbacks.getAndSet(slot(seq), null);
            if (callback != null) {
                notifyFailure(callback, e);
            }
        }
    }

    private static void notifyFailure(ReplyCallback callback, RedisException e) {
        try {
            callback.onFailure(e);
        } catch (Throwable ignored) {
            // The pipeline already failed with e; a throwing failure handler cannot make that worse.
        }
    }

    /** Throws the failure, if any, once every callback has been notified. */
    private void throwIfFailed() {
        RedisException e = failure.get();
        if (e != null) {
            awaitReaderExit(); // its final sweep may still be notifying callbacks
            sweep();
            throw e;
        }
    }

    private void awaitReaderExit() {
        if (Thread.currentThread() == readerThread) {
            return;
        }
        try {
            // The socket is closed, so only a callback that hangs can keep the reader alive this long.
            readerThread.join(READER_EXIT_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int slot(long seq) {
        return (int) (seq % maxCommands);
    }
}
