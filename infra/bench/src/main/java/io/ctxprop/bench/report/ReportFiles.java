package io.ctxprop.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Writes a run's results.json and results.md into one folder. */
public final class ReportFiles {

    private ReportFiles() {
    }

    public static void write(BenchReport report, Path folder) throws IOException {
        Files.createDirectories(folder);
        var json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        Files.writeString(folder.resolve("results.json"), json.writeValueAsString(report));
        Files.writeString(folder.resolve("results.md"), MarkdownReport.render(report));
    }
}
