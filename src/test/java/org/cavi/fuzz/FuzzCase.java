package org.cavi.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One fuzz case, self-contained: the command line (with {@code @DIR@} standing for the case's
 * directory) and the files written there. The model is {@code m/model.vi}; {@code data/} and
 * {@code m/data/} hold the repository's {@code models/data/} files, so the models' own
 * {@code from} paths resolve. {@code kind} says what was mutated (source, numbers, data, options).
 */
public record FuzzCase(String id, String kind, List<String> args, Map<String, String> files) {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The case as the corpus stores it, with its signature and whether it is a known failure. */
    public record Stored(FuzzCase fuzzCase, String signature, boolean known, String note) {}

    public long size() {
        long s = 0;
        for (String a : args) s += a.length();
        for (String f : files.values()) s += f.length();
        return s;
    }

    public void save(Path file, String signature, boolean known, String note) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("kind", kind);
        m.put("signature", signature);
        m.put("known", known);
        m.put("note", note);
        m.put("args", args);
        m.put("files", files);
        JSON.writeValue(file.toFile(), m);
    }

    @SuppressWarnings("unchecked")
    public static Stored load(Path file) throws IOException {
        Map<String, Object> m = JSON.readValue(file.toFile(), Map.class);
        FuzzCase c = new FuzzCase((String) m.get("id"), (String) m.get("kind"),
                List.copyOf((List<String>) m.get("args")), new LinkedHashMap<>((Map<String, String>) m.get("files")));
        return new Stored(c, (String) m.get("signature"), Boolean.TRUE.equals(m.get("known")), (String) m.getOrDefault("note", ""));
    }
}
