package io.ctxprop.systemtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The figures of each fault scenario, appended to {@code target/reliability.md} as one table row, so a
 * run leaves a report that says what survived, in counts.
 */
final class ReliabilityReport {

    static final Path FILE = Path.of(System.getProperty("reliability.report", "target/reliability.md"));

    /** Full counts (1,000 of each kind) with -Dreliability.full=true; a shorter run by default. */
    static int count(int full, int shortRun) {
        return Boolean.getBoolean("reliability.full") ? full : shortRun;
    }

    static synchronized void record(String scenario, Map<String, ?> figures) throws IOException {
        Files.createDirectories(FILE.toAbsolutePath().getParent());
        if (!Files.exists(FILE)) {
            Files.writeString(FILE, "# Reliability figures\n\nOne row per scenario, written by the fault suite in infra/system-tests ("
                    + (Boolean.getBoolean("reliability.full") ? "full counts" : "short run; -Dreliability.full=true for the full counts")
                    + ").\n\n| scenario | figures | at |\n|---|---|---|\n");
        }
        String row = "| " + scenario + " | " + new LinkedHashMap<>(figures).entrySet().stream()
                .map(entry -> entry.getKey() + ": " + entry.getValue()).collect(Collectors.joining(", ")) + " | " + Instant.now() + " |\n";
        Files.writeString(FILE, row, StandardOpenOption.APPEND);
    }
}
