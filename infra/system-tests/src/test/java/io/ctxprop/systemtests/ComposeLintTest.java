package io.ctxprop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The compose files pass {@code dclint} (the Docker Compose linter, npm {@code dclint} 3.1.0) with no
 * error: every published port names the host interface, every image is pinned. Style warnings (key
 * order) are not errors and stay. dclint runs through {@code npx} at the pinned version: {@code .ci/run}
 * installs it into npm's cache beforehand, so the suite itself downloads nothing; on a machine without
 * that, npx fetches that exact version from npm once.
 *
 * <p>The report is read as JSON, not as the human format: the human format is coloured whenever the
 * environment says so ({@code FORCE_COLOR}, as some CI runners set), and escape codes inside
 * "(0 errors, 36 warnings)" once made this test fail on a clean report.
 */
class ComposeLintTest {

    static final String DCLINT = "dclint@3.1.0";
    static final List<String> FILES = List.of("infra/compose.yaml", "infra/compose.cluster.yaml");

    @Test
    void theComposeFilesPassDclintWithNoError() throws Exception {
        var command = new java.util.ArrayList<>(List.of("npx", "--yes", DCLINT, "--formatter", "json", "--no-color"));
        command.addAll(FILES);
        var builder = new ProcessBuilder(command).directory(ComposeFileTest.ROOT.toFile());
        builder.environment().remove("FORCE_COLOR");
        builder.redirectError(ProcessBuilder.Redirect.DISCARD); // npx's own notices; the report is on stdout
        var process = builder.start();
        String report = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("dclint finished").isTrue();

        List<Map<String, Object>> files = new Yaml().load(report.substring(report.indexOf('[')));
        assertThat(files).as(report).extracting(file -> file.get("filePath")).containsExactlyInAnyOrderElementsOf(FILES);
        List<String> errors = files.stream()
                .flatMap(file -> messages(file).stream()
                        .filter(message -> "error".equals(message.get("type")))
                        .map(message -> file.get("filePath") + ":" + message.get("line") + " " + message.get("rule") + ": " + message.get("message")))
                .toList();
        long warnings = files.stream().mapToLong(file -> messages(file).size()).sum() - errors.size();
        System.out.println("dclint " + DCLINT + ": " + errors.size() + " errors, " + warnings + " warnings");
        assertThat(errors).as("dclint errors").isEmpty();
        assertThat(process.exitValue()).as(report).isZero();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> messages(Map<String, Object> file) {
        return (List<Map<String, Object>>) file.get("messages");
    }
}
