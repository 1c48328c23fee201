package io.ferry.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Gives every option of a command a default from the TOML file named by its {@code --config} option
 * ({@link ConfigOption}), so the command line wins wherever it says something. Use it with
 * {@code @Command(defaultValueProvider = TomlDefaults.class)}. A key that names no option of the command is an
 * error, so a typo cannot silently leave a setting at its default.
 *
 * <p>picocli applies a default as one string, which it splits with the option's {@code split} regex. A list in the
 * file therefore needs an option with a {@code split}; a repeatable option whose values may contain any separator
 * (globs) uses {@link #LIST_SPLIT}. Values are taken literally: picocli would otherwise expand {@code ${…}} in
 * them and turn {@code $$} into {@code $}, mangling passwords.
 */
public final class TomlDefaults implements IDefaultValueProvider {
    public static final String CONFIG_OPTION = "--config";
    /**
     * A {@code split} regex for repeatable options: NUL, which no command-line argument can contain, so the command
     * line is parsed as without it while the config file can give a list.
     */
    public static final String LIST_SPLIT = "\\x00";
    // Separators to join a list with, tried in order; the option's split regex must split them apart again.
    private static final List<String> SEPARATORS = List.of(",", ";", " ", "|", "\u0000");

    private CommandSpec loadedFor;
    private Path loadedFrom;
    private ConfigFile loaded;

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) {
            return null;
        }
        CommandSpec command = option.command();
        OptionSpec config = command.findOption(CONFIG_OPTION);
        if (config == null || config == option || config.getValue() == null) {
            return null;
        }
        ConfigFile file = load(command, Path.of(config.getValue().toString()));
        List<String> values = file.options().get(key(option));
        if (values == null) {
            return null;
        }
        String joined = join(command, option, values, file);
        // picocli interpolates what we return; doubled dollars come out as the original text.
        return joined != null && command.interpolateVariables() ? joined.replace("$", "$$") : joined;
    }

    /** Loads and checks the file once per command and path: picocli asks for each option in turn. */
    private ConfigFile load(CommandSpec command, Path path) {
        if (command != loadedFor || !path.equals(loadedFrom)) {
            ConfigFile file;
            try {
                file = ConfigFile.load(path);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(command.commandLine(), e.getMessage(), e);
            }
            Set<String> unknown = new TreeSet<>(file.options().keySet());
            command.options().stream().filter(TomlDefaults::settable).map(TomlDefaults::key).forEach(unknown::remove);
            if (!unknown.isEmpty()) {
                throw error(command, file, "unknown option" + (unknown.size() > 1 ? "s " : " ") + "'" + String.join("', '", unknown)
                        + "' (keys are the long option names of '" + command.qualifiedName() + "' without dashes)");
            }
            loadedFor = command;
            loadedFrom = path;
            loaded = file;
        }
        return loaded;
    }

    private static boolean settable(OptionSpec o) {
        return !o.usageHelp() && !o.versionHelp() && !o.longestName().equals(CONFIG_OPTION);
    }

    private static String key(OptionSpec o) {
        return o.longestName().replaceFirst("^-+", "");
    }

    private static String join(CommandSpec command, OptionSpec option, List<String> values, ConfigFile file) {
        String key = key(option);
        if (!option.isMultiValue()) {
            if (values.size() != 1) {
                throw error(command, file, "'" + key + "' takes one value, not a list");
            }
            return values.get(0);
        }
        if (values.size() <= 1) {
            return values.isEmpty() ? null : values.get(0); // an empty list leaves the option empty
        }
        String regex = option.splitRegex();
        if (regex.isEmpty()) {
            throw error(command, file, "'" + key + "' takes one value, not a list");
        }
        // picocli does not split inside double quotes unless told to, so quoted text could glue values together.
        boolean quotesMatter = !command.parser().splitQuotedStrings() && values.stream().anyMatch(v -> v.contains("\""));
        Pattern split = Pattern.compile(regex);
        for (String sep : SEPARATORS) {
            String joined = String.join(sep, values);
            if (!quotesMatter && split.matcher(sep).matches() && Arrays.asList(split.split(joined, -1)).equals(values)) {
                return joined;
            }
        }
        throw error(command, file, "'" + key + "' cannot pass the values " + new ArrayList<>(values)
                + " through the option's separator; give them on the command line");
    }

    private static CommandLine.ParameterException error(CommandSpec command, ConfigFile file, String message) {
        return new CommandLine.ParameterException(command.commandLine(), "config file " + file.path() + ": " + message);
    }
}
