package io.ferry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
    @TempDir
    Path dir;

    private Path file(String toml) throws IOException {
        return Files.writeString(dir.resolve("f.toml"), toml);
    }

    @Test
    void flattensScalarsAndArraysToTextInFileOrder() throws IOException {
        ConfigFile c = ConfigFile.load(file("""
                target = "redis://t:6379"
                lanes = 16
                ack_interval = "1s"
                ratio = 0.5
                big = 12345678901234567890
                tls-insecure = true
                db = [0, 3]
                key = []
                """));
        assertThat(c.options()).containsExactly(
                entry("target", "redis://t:6379"), entry("lanes", "16"), entry("ack-interval", "1s"), entry("ratio", "0.5"),
                entry("big", "12345678901234567890"), entry("tls-insecure", "true"), entry("db", "0", "3"), entry("key"));
    }

    private static Map.Entry<String, List<String>> entry(String key, String... values) {
        return Map.entry(key, List.of(values));
    }

    @Test
    void refusesTablesAndNestedArrays() throws IOException {
        Path f = file("[sync]\nlanes = 4\n");
        assertThatThrownBy(() -> ConfigFile.load(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("config file " + f + ": 'sync' holds a table; the file is flat");
        assertThatThrownBy(() -> ConfigFile.load(file("db = [[0], [1]]\n"))).hasMessageContaining("'db' holds nested arrays");
        assertThatThrownBy(() -> ConfigFile.load(file("db-map = { 0 = 1 }\n"))).hasMessageContaining("'db-map' holds a table");
    }

    @Test
    void refusesTwoSpellingsOfOneOption() throws IOException {
        Path f = file("on-conflict = \"skip\"\non_conflict = \"replace\"\n");
        assertThatThrownBy(() -> ConfigFile.load(f))
                .hasMessage("config file " + f + ": 'on-conflict' and 'on_conflict' set the same option");
    }

    @Test
    void namesTheFileAndLineOfASyntaxError() throws IOException {
        Path f = file("lanes = 4\ntarget = redis://t\n");
        assertThatThrownBy(() -> ConfigFile.load(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("config file " + f + ": ").hasMessageEndingWith("(line 2)");
    }
}
