package io.ferry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

class TomlDefaultsTest {
    enum Policy { FAIL, REPLACE, SKIP }

    @Command(name = "demo", mixinStandardHelpOptions = true, defaultValueProvider = TomlDefaults.class)
    static final class Demo {
        @Mixin
        ConfigOption config;

        @Option(names = {"-s", "--source"}, required = true)
        String source;

        @Option(names = "--on-conflict", defaultValue = "fail")
        Policy onConflict;

        @Option(names = "--lanes", defaultValue = "8")
        int lanes;

        @Option(names = "--ratio", defaultValue = "1")
        double ratio;

        @Option(names = "--spool-max-bytes")
        long spoolMaxBytes;

        @Option(names = "--tls-insecure")
        boolean tlsInsecure;

        @Option(names = "--db", split = ",")
        List<Integer> dbs = new ArrayList<>();

        @Option(names = "--key", split = TomlDefaults.LIST_SPLIT)
        List<String> keys = new ArrayList<>();

        @Option(names = "--exclude-key")
        List<String> excludeKeys = new ArrayList<>();

        @ArgGroup(exclusive = false)
        SourceTls sourceTls = new SourceTls();
    }

    static final class SourceTls {
        @Option(names = "--source-tls-ca")
        Path ca;

        @Option(names = "--source-tls-insecure")
        boolean insecure;
    }

    @TempDir
    Path dir;

    private Path file(String toml) throws IOException {
        return Files.writeString(dir.resolve("ferry.toml"), toml);
    }

    private static Demo parse(String... args) {
        Demo d = new Demo();
        new CommandLine(d).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        return d;
    }

    @Test
    void takesEveryKindOfValueFromTheFile() throws IOException {
        Path f = file("""
                # a comment
                source = "redis://src:6379"
                on-conflict = "replace"
                lanes = 16
                ratio = 0.5
                spool-max-bytes = 21474836480
                tls-insecure = true
                db = [0, 3]
                key = ["user:*", "a,b;c d|e*"]
                exclude-key = ["tmp:*"]
                """);
        Demo d = parse("--config", f.toString());
        assertThat(d.source).isEqualTo("redis://src:6379"); // a required option is satisfied by the file
        assertThat(d.onConflict).isEqualTo(Policy.REPLACE);
        assertThat(d.lanes).isEqualTo(16);
        assertThat(d.ratio).isEqualTo(0.5);
        assertThat(d.spoolMaxBytes).isEqualTo(21_474_836_480L);
        assertThat(d.tlsInsecure).isTrue();
        assertThat(d.dbs).containsExactly(0, 3);
        assertThat(d.keys).containsExactly("user:*", "a,b;c d|e*");
        assertThat(d.excludeKeys).containsExactly("tmp:*"); // one value needs no split
    }

    @Test
    void commandLineWinsAndReplacesLists() throws IOException {
        Path f = file("""
                source = "redis://src:6379"
                lanes = 16
                db = [0, 3]
                key = ["user:*", "session:*"]
                tls-insecure = false
                """);
        Demo d = parse("--lanes", "4", "--config", f.toString(), "--db", "5", "--key", "x*", "-s", "redis://cli:1", "--tls-insecure");
        assertThat(d.lanes).isEqualTo(4);
        assertThat(d.dbs).containsExactly(5);
        assertThat(d.keys).containsExactly("x*");
        assertThat(d.source).isEqualTo("redis://cli:1");
        assertThat(d.tlsInsecure).isTrue();
    }

    @Test
    void reachesOptionsInArgGroups() throws IOException {
        Path f = file("source = \"redis://x:1\"\nsource-tls-ca = \"/etc/ca.pem\"\nsource-tls-insecure = true\n");
        Demo fromFile = parse("--config", f.toString());
        assertThat(fromFile.sourceTls.ca).isEqualTo(Path.of("/etc/ca.pem"));
        assertThat(fromFile.sourceTls.insecure).isTrue();
        Demo mixed = parse("--config", f.toString(), "--source-tls-ca", "/cli/ca.pem");
        assertThat(mixed.sourceTls.ca).isEqualTo(Path.of("/cli/ca.pem"));
        assertThat(mixed.sourceTls.insecure).isTrue();
    }

    @Test
    void withoutConfigTheDeclaredDefaultsHold() {
        Demo d = parse("-s", "redis://x:1");
        assertThat(d.lanes).isEqualTo(8);
        assertThat(d.onConflict).isEqualTo(Policy.FAIL);
        assertThat(d.keys).isEmpty();
    }

    @Test
    void optionsMissingFromTheFileKeepTheirDefaults() throws IOException {
        Demo d = parse("--config", file("source = \"redis://x:1\"\n").toString());
        assertThat(d.lanes).isEqualTo(8);
        assertThat(d.ratio).isEqualTo(1.0);
        assertThat(d.dbs).isEmpty();
    }

    @Test
    void acceptsUnderscoresForDashes() throws IOException {
        Demo d = parse("--config", file("source = \"redis://x:1\"\non_conflict = \"skip\"\nspool_max_bytes = 7\n").toString());
        assertThat(d.onConflict).isEqualTo(Policy.SKIP);
        assertThat(d.spoolMaxBytes).isEqualTo(7);
    }

    @Test
    void anEmptyListLeavesAListOptionEmpty() throws IOException {
        Demo d = parse("--config", file("source = \"redis://x:1\"\nkey = []\n").toString());
        assertThat(d.keys).isEmpty();
    }

    @Test
    void takesDollarsLiterally() throws IOException {
        Path f = file("source = \"redis://:pa$$w${HOME}rd$@src:6379\"\nkey = [\"${x}\", \"$$\"]\n");
        Demo d = parse("--config", f.toString());
        assertThat(d.source).isEqualTo("redis://:pa$$w${HOME}rd$@src:6379");
        assertThat(d.keys).containsExactly("${x}", "$$");
        Demo raw = new Demo();
        new CommandLine(raw).setCaseInsensitiveEnumValuesAllowed(true).setInterpolateVariables(false).parseArgs("--config", f.toString());
        assertThat(raw.source).isEqualTo("redis://:pa$$w${HOME}rd$@src:6379");
    }

    @Test
    void unknownKeysAreNamedWithTheFile() throws IOException {
        Path f = file("source = \"redis://x:1\"\non-conflit = \"replace\"\nhelp = true\nlanes = 2\n");
        assertThatThrownBy(() -> parse("--config", f.toString()))
                .isInstanceOf(ParameterException.class)
                .hasMessage("config file " + f + ": unknown options 'help', 'on-conflit' (keys are the long option names of 'demo' without dashes)");
        Path g = file("config = \"other.toml\"\n");
        assertThatThrownBy(() -> parse("--config", g.toString(), "-s", "redis://x:1"))
                .hasMessageContaining("unknown option 'config'");
    }

    @Test
    void theCommandLineDoesNotExcuseUnknownKeys() throws IOException {
        Path f = file("sourse = \"redis://x:1\"\n");
        assertThatThrownBy(() -> parse("--config", f.toString(), "-s", "redis://x:1"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("'sourse'").hasMessageContaining(f.toString());
    }

    @Test
    void refusesListsWhereOneValueGoes() throws IOException {
        Path f = file("source = [\"redis://a:1\", \"redis://b:1\"]\n");
        assertThatThrownBy(() -> parse("--config", f.toString()))
                .isInstanceOf(ParameterException.class).hasMessage("config file " + f + ": 'source' takes one value, not a list");
        Path g = file("source = \"redis://a:1\"\nexclude-key = [\"a*\", \"b*\"]\n");
        assertThatThrownBy(() -> parse("--config", g.toString()))
                .isInstanceOf(ParameterException.class).hasMessageContaining("'exclude-key' takes one value, not a list");
    }

    @Test
    void refusesListsItCannotPassThroughTheSeparator() throws IOException {
        Path f = file("source = \"redis://a:1\"\ndb = [\"1,2\", \"3\"]\n");
        assertThatThrownBy(() -> parse("--config", f.toString()))
                .isInstanceOf(ParameterException.class).hasMessageContaining("'db' cannot pass the values [1,2, 3]");
        Path g = file("source = \"redis://a:1\"\nkey = ['a\"b', 'c\"d']\n");
        assertThatThrownBy(() -> parse("--config", g.toString()))
                .isInstanceOf(ParameterException.class).hasMessageContaining("'key' cannot pass the values");
    }

    @Test
    void reportsUnreadableFiles() throws IOException {
        Path missing = dir.resolve("missing.toml");
        assertThatThrownBy(() -> parse("--config", missing.toString()))
                .isInstanceOf(ParameterException.class).hasMessage("config file " + missing + ": no such file");
        Path broken = file("source = \"redis://a:1\nlanes = 2\n");
        assertThatThrownBy(() -> parse("--config", broken.toString()))
                .isInstanceOf(ParameterException.class).hasMessageStartingWith("config file " + broken + ": ").hasMessageContaining("line 1");
    }

    @Test
    void leavesCommandsWithoutConfigOptionAlone() {
        @Command(name = "bare", defaultValueProvider = TomlDefaults.class)
        final class Bare {
            @Option(names = "--lanes", defaultValue = "8")
            int lanes;
        }
        Bare b = new Bare();
        new CommandLine(b).parseArgs();
        assertThat(b.lanes).isEqualTo(8);
    }
}
