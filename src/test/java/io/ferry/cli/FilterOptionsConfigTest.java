package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.config.ConfigOption;
import io.ferry.config.TomlDefaults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class FilterOptionsConfigTest {
    @Command(name = "filtered", defaultValueProvider = TomlDefaults.class)
    static final class Filtered {
        @Mixin
        ConfigOption config;

        @Mixin
        FilterOptions filter = new FilterOptions();
    }

    @TempDir
    Path dir;

    private static FilterOptions parse(String... args) {
        Filtered f = new Filtered();
        new CommandLine(f).parseArgs(args);
        return f.filter;
    }

    @Test
    void globListsComeFromTheConfigFile() throws IOException {
        Path toml = Files.writeString(dir.resolve("ferry.toml"), """
                key = ["user:*", "a,b*"]
                exclude-key = ["user:tmp:*", "x y"]
                db = [0, 2]
                type = ["string", "hash"]
                """);
        FilterOptions f = parse("--config", toml.toString());
        assertThat(f.keys).containsExactly("user:*", "a,b*");
        assertThat(f.excludeKeys).containsExactly("user:tmp:*", "x y");
        assertThat(f.dbs).containsExactly(0, 2);
        assertThat(f.types).containsExactly("string", "hash");
    }

    @Test
    void commandLineGlobsStayWhole() {
        FilterOptions f = parse("--key", "a,b*", "--key", "say \"hi\"*", "--exclude-key", "x;y|z");
        assertThat(f.keys).containsExactly("a,b*", "say \"hi\"*");
        assertThat(f.excludeKeys).containsExactly("x;y|z");
    }
}
