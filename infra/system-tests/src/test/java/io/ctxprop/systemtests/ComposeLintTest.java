package io.ctxprop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The compose files pass {@code dclint} (the Docker Compose linter, npm {@code dclint} 3.1.0) with no
 * error: every published port names the host interface, every image is pinned. Style warnings (key
 * order) are not errors and stay. dclint runs through {@code npx} at the pinned version: {@code .ci/run}
 * installs it into npm's cache beforehand, so the suite itself downloads nothing; on a machine without
 * that, npx fetches that exact version from npm once.
 */
class ComposeLintTest {

    static final String DCLINT = "dclint@3.1.0";

    @Test
    void theComposeFilesPassDclintWithNoError() throws Exception {
        var process = new ProcessBuilder(List.of("npx", "--yes", DCLINT, "infra/compose.yaml", "infra/compose.cluster.yaml"))
                .directory(ComposeFileTest.ROOT.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("dclint finished").isTrue();
        System.out.println("dclint " + DCLINT + ": " + output.lines().filter(line -> line.contains("problems")).findFirst().orElse(output));
        assertThat(output).as(output).doesNotContainPattern("\\berror\\b").containsPattern("\\(0 errors, \\d+ warnings\\)");
        assertThat(process.exitValue()).as(output).isZero();
    }
}
