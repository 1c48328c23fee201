package io.ferry.cli;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGINT and SIGTERM ask a long run to stop cleanly, so it can drain, checkpoint and exit 0 (a
 * shutdown hook alone would end with status 143). A second signal exits at once.
 */
final class StopSignals {
    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);

    private StopSignals() {}

    static void install(Runnable stop) {
        AtomicBoolean asked = new AtomicBoolean();
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), sig -> {
                    if (asked.getAndSet(true)) {
                        LOG.warn("second SIG{}: exiting without draining", name);
                        Runtime.getRuntime().halt(130);
                    }
                    LOG.info("SIG{}: stopping: draining in-flight writes and saving the checkpoint…", name);
                    stop.run();
                });
            } catch (IllegalArgumentException e) {
                LOG.debug("cannot handle SIG{} here: {}", name, e.getMessage()); // the shutdown hook still stops the run
            }
        }
    }
}
