package io.ferry.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code ferry <command> …}. */
@Command(
        name = "ferry",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {
            "Moves the data of Redis-protocol databases (Redis, Valkey) from one deployment",
            "to another while the source keeps serving traffic.",
            ""
        },
        subcommands = {SyncCommand.class, CheckCommand.class, RestoreCommand.class, DumpCommand.class, DecodeCommand.class, GenCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Run 'ferry <command> --help' for the options of a command."})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns the exit status (tests call this directly). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new Failures());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl.execute(args);
    }
}
