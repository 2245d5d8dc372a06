package io.ctxprop.systemtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

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

    /** @param figures name, value, name, value, ... in the order they are to be read */
    static synchronized void record(String scenario, Object... figures) throws IOException {
        Files.createDirectories(FILE.toAbsolutePath().getParent());
        if (!Files.exists(FILE)) {
            Files.writeString(FILE, "# Reliability figures\n\nOne row per scenario, written by the fault suite in infra/system-tests ("
                    + (Boolean.getBoolean("reliability.full") ? "full counts" : "short run; -Dreliability.full=true for the full counts")
                    + ").\n\n| scenario | figures | at |\n|---|---|---|\n");
        }
        StringBuilder row = new StringBuilder("| ").append(scenario).append(" | ");
        for (int i = 0; i + 1 < figures.length; i += 2) {
            row.append(i == 0 ? "" : ", ").append(figures[i]).append(": ").append(figures[i + 1]);
        }
        row.append(" | ").append(Instant.now()).append(" |\n");
        Files.writeString(FILE, row.toString(), StandardOpenOption.APPEND);
    }
}
