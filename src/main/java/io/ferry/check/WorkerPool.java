package io.ferry.check;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Worker threads fed through a bounded queue (producers block when it is full, so memory stays bounded). The first
 * failure anywhere — a worker or a producer that reports it — stops everything and is rethrown by {@link #finish}.
 */
final class WorkerPool {
    private static final Task STOP = new Task(Task.Mode.RECHECK, -1, List.of(), null);

    private final BlockingQueue<Task> queue;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    WorkerPool(int workers, Supplier<Worker> factory, String name) {
        queue = new ArrayBlockingQueue<>(workers * 4);
        for (int i = 0; i < workers; i++) {
            Thread t = new Thread(() -> work(factory), name + "-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void work(Supplier<Worker> factory) {
        try (Worker w = factory.get()) {
            while (true) {
                Task task = queue.take();
                if (task == STOP) {
                    return;
                }
                if (failure.get() == null) {
                    w.run(task);
                }
            }
        } catch (Throwable e) {
            fail(e);
        }
    }

    /** Queues a task; throws {@link CheckAborted} once the pool failed. */
    void submit(Task task) {
        try {
            while (!queue.offer(task, 100, TimeUnit.MILLISECONDS)) {
                checkFailed();
            }
            checkFailed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckAborted("interrupted");
        }
    }

    void checkFailed() {
        if (failure.get() != null) {
            throw new CheckAborted("stopped after a failure");
        }
    }

    void fail(Throwable e) {
        if (!(e instanceof CheckAborted) || failure.get() == null) {
            failure.compareAndSet(null, e);
        }
        queue.clear();
    }

    /** Waits until every queued task ran and the workers stopped; rethrows the first failure. */
    void finish() {
        try {
            for (Thread t : threads) {
                while (!queue.offer(STOP, 100, TimeUnit.MILLISECONDS)) {
                    if (failure.get() != null) {
                        queue.clear();
                    }
                }
            }
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckAborted("interrupted");
        }
        rethrow();
    }

    void rethrow() {
        Throwable e = failure.get();
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        if (e != null) {
            throw new RuntimeException(e);
        }
    }
}
