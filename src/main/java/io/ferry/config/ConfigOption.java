package io.ferry.config;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option; mix it into a command that names {@link TomlDefaults} as its default value provider. */
public final class ConfigOption {
    @Option(names = TomlDefaults.CONFIG_OPTION, paramLabel = "FILE",
            description = "Read options from this TOML file (keys are option names without dashes, e.g. on-conflict = \"replace\"); "
                    + "options on the command line win. See ferry.example.toml.")
    Path file;
}
