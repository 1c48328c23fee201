package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `ferry sync --config file.toml`: every option from the file, the command line wins, the shipped example parses. */
class SyncConfigTest {
    @Test
    void optionsComeFromTheFileAndTheCommandLineWins(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("ferry.toml");
        Files.writeString(f, String.join("\n",
                "source = \"redis://127.0.0.1:7001\"",
                "target = \"redis://127.0.0.1:7002\"",
                "on-conflict = \"replace\"",
                "lanes = 3",
                "key = [\"user:*\", \"order:*\"]",
                "no-second-full-sync = true",
                "source-tls-insecure = true",
                ""));
        SyncCommand cmd = new SyncCommand();
        new CommandLine(cmd).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--config", f.toString(), "--lanes", "5");
        assertThat(cmd.source).containsExactly("redis://127.0.0.1:7001");
        assertThat(cmd.target).isEqualTo("redis://127.0.0.1:7002");
        assertThat(cmd.onConflict).isEqualTo(io.ferry.convert.ConflictPolicy.REPLACE);
        assertThat(cmd.lanes).isEqualTo(5);
        assertThat(cmd.filter.keys).containsExactly("user:*", "order:*");
        assertThat(cmd.noSecondFullSync).isTrue();
        assertThat(cmd.sourceTls.insecure).isTrue();
    }

    @Test
    void theShippedExampleParsesWithEveryOptionUncommented(@TempDir Path tmp) throws Exception {
        String example = Files.readString(Path.of("ferry.example.toml"));
        Path f = tmp.resolve("all.toml");
        Files.writeString(f, example.replaceAll("(?m)^# ([a-z-]+ = .*)$", "$1"));
        SyncCommand cmd = new SyncCommand();
        new CommandLine(cmd).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--config", f.toString());
        assertThat(cmd.source).isNotEmpty().allSatisfy(s -> assertThat(s).isNotBlank());
    }

    @Test
    void severalSourcesFromTheCommandLineOrAListInTheFile(@TempDir Path tmp) throws Exception {
        SyncCommand cli = new SyncCommand();
        new CommandLine(cli).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("-s", "redis://a:1", "--source", "redis://b:2", "-t", "redis://c:3");
        assertThat(cli.source).containsExactly("redis://a:1", "redis://b:2");
        Path f = tmp.resolve("two.toml");
        Files.writeString(f, "source = [\"redis://a:1\", \"redis://b:2\"]\ntarget = \"redis://c:3\"\n");
        SyncCommand file = new SyncCommand();
        new CommandLine(file).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--config", f.toString());
        assertThat(file.source).containsExactly("redis://a:1", "redis://b:2");
    }

    @Test
    void sourcePreferAndSourceSafeFromTheCommandLineOrTheFile(@TempDir Path tmp) throws Exception {
        SyncCommand cli = new SyncCommand();
        new CommandLine(cli).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("-s", "redis://a:1", "-t", "redis://b:2");
        assertThat(cli.sourcePrefer).isEqualTo("master");
        assertThat(cli.sourceSafe).isFalse();
        Path f = tmp.resolve("replicas.toml");
        Files.writeString(f, "source = \"redis://a:1\"\ntarget = \"redis://b:2\"\nsource-prefer = \"replica\"\nsource-safe = true\n");
        SyncCommand file = new SyncCommand();
        new CommandLine(file).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--config", f.toString());
        assertThat(file.sourcePrefer).isEqualTo("replica");
        assertThat(file.sourceSafe).isTrue();
    }

    @Test
    void aTypoInTheFileIsAnErrorNamingTheKey(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("typo.toml");
        Files.writeString(f, "source = \"redis://a:1\"\ntarget = \"redis://b:2\"\nlane = 4\n");
        assertThatThrownBy(() -> new CommandLine(new SyncCommand()).parseArgs("--config", f.toString()))
                .hasMessageContaining("lane").hasMessageContaining(f.toString());
    }
}
