package io.ferry.target;

import io.ferry.resp.RedisConnection;
import io.ferry.resp.Reply;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which commands the target knows, and their arity, from {@code COMMAND INFO} (asked once per
 * name). A command the target would refuse while queueing it aborts its whole transaction
 * (EXECABORT): knowing up front lets {@code --on-error skip} skip just that command, and
 * {@code fail} stop before sending it. Servers without COMMAND (before 2.8.13) are trusted.
 */
public final class TargetCommands {
    private static final int UNKNOWN = 0;
    private final RedisConnection probe;
    private final ConcurrentHashMap<String, Integer> arity = new ConcurrentHashMap<>();
    private volatile boolean unsupported;

    public TargetCommands(RedisConnection probe) {
        this.probe = probe;
    }

    /** Why the target would refuse command {@code name} (upper case) with {@code argc} arguments before running it, or null. */
    public String refusalOf(String name, int argc) {
        if (unsupported) {
            return null;
        }
        Integer a = arity.get(name);
        if (a == null) {
            a = ask(name);
            if (a == null) {
                return null;
            }
            arity.put(name, a);
        }
        if (a == UNKNOWN) {
            return "the target does not know the command " + name;
        }
        if (a > 0 ? argc != a : argc < -a) {
            return "the target takes " + (a > 0 ? "exactly " + a : "at least " + -a) + " arguments for " + name
                    + " (including its name), not " + argc;
        }
        return null;
    }

    private Integer ask(String name) {
        Reply r;
        synchronized (probe) {
            r = probe.call("COMMAND", "INFO", name.toLowerCase(Locale.ROOT));
        }
        if (r.isError()) {
            unsupported = true; // no COMMAND: nothing to learn
            return null;
        }
        List<Reply> infos = r.asList();
        if (infos.isEmpty() || infos.get(0).isNull()) {
            return UNKNOWN;
        }
        return (int) infos.get(0).asList().get(1).asLong();
    }
}
