package io.ferry.cli;

import io.ferry.rdb.RdbFormatException;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * Turns a failure into one clear line on stderr and a non-zero exit. Expected failures (bad
 * input, unreachable server, …) print only their message; anything else also gets its stack
 * trace, because then it is a bug worth reporting.
 */
final class Failures implements CommandLine.IExecutionExceptionHandler {
    static final int FAILED = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        String msg = message(e);
        cl.getErr().println("ferry " + cl.getCommandName() + ": error: " + msg);
        if (!isExpected(e)) {
            e.printStackTrace(cl.getErr());
        }
        cl.getErr().flush();
        return FAILED;
    }

    static boolean isExpected(Throwable e) {
        return e instanceof RdbFormatException || e instanceof UncheckedIOException
                || e instanceof java.io.IOException || e instanceof IllegalArgumentException
                || e instanceof io.ferry.OperatorException;
    }

    static String message(Throwable e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file: " + m;
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied: " + m;
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
