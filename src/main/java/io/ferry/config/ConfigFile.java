package io.ferry.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A flat TOML file of command options: each key is an option's long name without its dashes
 * ({@code on-conflict}, or {@code on_conflict}), each value a string, number, boolean or array of them.
 */
public final class ConfigFile {
    private static final TomlMapper TOML = new TomlMapper();

    private final Path path;
    private final Map<String, List<String>> options;

    private ConfigFile(Path path, Map<String, List<String>> options) {
        this.path = path;
        this.options = Collections.unmodifiableMap(options);
    }

    /** @throws IllegalArgumentException naming the file, when it cannot be read or is not a flat TOML table */
    public static ConfigFile load(Path path) {
        JsonNode root;
        try (InputStream in = Files.newInputStream(path)) {
            root = TOML.readTree(in);
        } catch (JacksonException e) {
            throw problem(path, e.getOriginalMessage() + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (NoSuchFileException e) {
            throw problem(path, "no such file");
        } catch (IOException e) {
            throw problem(path, e.toString());
        }
        Map<String, List<String>> options = new LinkedHashMap<>();
        Map<String, String> spelledAs = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            String key = e.getKey().replace('_', '-');
            String earlier = spelledAs.putIfAbsent(key, e.getKey());
            if (earlier != null) {
                throw problem(path, "'" + earlier + "' and '" + e.getKey() + "' set the same option");
            }
            options.put(key, values(path, e.getKey(), e.getValue()));
        }
        return new ConfigFile(path, options);
    }

    public Path path() {
        return path;
    }

    /** Option name (dashes, never underscores) → its values as text, one for a scalar; in file order. */
    public Map<String, List<String>> options() {
        return options;
    }

    private static List<String> values(Path path, String key, JsonNode v) {
        if (!v.isArray()) {
            return List.of(scalar(path, key, v));
        }
        List<String> list = new ArrayList<>(v.size());
        for (JsonNode element : v) {
            list.add(scalar(path, key, element));
        }
        return List.copyOf(list);
    }

    private static String scalar(Path path, String key, JsonNode v) {
        if (v.isValueNode()) {
            return v.asText();
        }
        throw problem(path, "'" + key + "' holds " + (v.isArray() ? "nested arrays" : "a table")
                + "; the file is flat: one key per option, with a value or an array of values");
    }

    private static IllegalArgumentException problem(Path path, String message) {
        return new IllegalArgumentException("config file " + path + ": " + message);
    }
}
