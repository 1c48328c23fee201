package io.ferry.testing;

import io.ferry.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Runs {@code ferry …} in this JVM through {@link Main#run} and captures what it prints (the log
 * goes to stderr too, through logback's console appender, which looks up System.err on every
 * write). Runs are serialised: System.out/err are process-wide.
 */
public final class FerryCli {
    private FerryCli() {}

    /** Exit status and output of one run. */
    public record Result(int exit, String out, String err) {
        /** Lines of the form {@code ferry <command>: error: …}. */
        public List<String> errorLines() {
            return lines().stream().filter(l -> l.matches("^ferry [a-z]+: error: .*")).toList();
        }

        /** Whether stderr holds any stack-trace frame. */
        public boolean hasStackTrace() {
            return lines().stream().anyMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by: "));
        }

        public List<String> lines() {
            return Arrays.asList(err.split("\r?\n"));
        }

        /** The {@code restore summary:} log line, or "" when there is none. */
        public String summary() {
            return lines().stream().filter(l -> l.contains("restore summary:")).findFirst().orElse("");
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
        }
    }

    public static synchronized Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            exit = Main.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        Result r = new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        oldErr.println("$ ferry " + String.join(" ", args) + "\n" + r); // kept in the surefire output file
        return r;
    }
}
