package io.ctxprop.bench;

import static io.ctxprop.bench.compare.Runs.ratio;
import static io.ctxprop.bench.compare.Runs.window;
import static org.assertj.core.api.Assertions.assertThat;

import io.ctxprop.bench.compare.Runs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench.sh --compare A B} on two results.json written by the bench's writer: the table, the verdict, repeat.md. */
class RepeatCheckTest {

    static final String TRACING = "tracing's cost (traced / untraced)";
    static final String FRAMEWORK = "the framework's cost (untraced / raw)";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void twoRunsWithinTenPercentAgree(@TempDir Path folder) throws Exception {
        var a = Runs.write(folder.resolve("a"), Runs.report("2026-12-06T20:00Z",
                List.of(ratio(TRACING, "http", 1.16), ratio(TRACING, "kafka", 1.05), ratio(FRAMEWORK, "http", 1.30)),
                List.of(window("off", 0.0199))));
        var b = Runs.write(folder.resolve("b"), Runs.report("2026-12-06T20:30Z",
                List.of(ratio(TRACING, "http", 1.20), ratio(TRACING, "kafka", 1.00), ratio(FRAMEWORK, "http", 1.25)),
                List.of(window("off", 0.02), window("inspector+phoenix", 0.021))));
        Path report = folder.resolve("report");

        int exit = run(a, b, report);

        String md = Files.readString(report.resolve("repeat.md"));
        assertThat(exit).isZero();
        assertThat(stdout()).startsWith(md);
        assertThat(md).contains(
                "- Run A: `" + a + "`, `infra/bench/bench.sh`, started 2026-12-06T20:00Z, 21.5 minutes; machine: cpu Test CPU; cores 2",
                "- Run B: `" + b + "`, `infra/bench/bench.sh`, started 2026-12-06T20:30Z, 21.5 minutes",
                "| " + TRACING + " | http | 16 / 16 | 1.160 | 1.200 | 3.4 % | yes |",
                "| " + TRACING + " | kafka | 16 / 16 | 1.050 | 1.000 | 4.8 % | yes |",
                "| " + FRAMEWORK + " | http | 16 / 16 | 1.300 | 1.250 | 3.8 % | yes |",
                "| run | JIT share, windows kept | under 2 % | with the windows set aside for JIT | highest in one window kept |",
                "| A | 1.99 % | yes | 1.99 % | 1.99 % |",
                "| B | 2.05 % | no | 2.05 % | 2.10 % |");
        assertThat(md.strip().lines().toList().getLast()).isEqualTo("The two runs agree: **yes**, every ratio (3 of 3) within 10 %.");
    }

    @Test
    void aRatioElevenPercentApartOrInOneRunOnlyMeansNo(@TempDir Path folder) throws Exception {
        var a = Runs.write(folder.resolve("a"), Runs.report("2026-12-06T20:00Z",
                List.of(ratio(TRACING, "http", 1.16), ratio(TRACING, "kafka", 1.00), ratio(FRAMEWORK, "http", 1.30)),
                List.of(window("off", 0.001))));
        var b = Runs.write(folder.resolve("b"), Runs.report("2026-12-06T20:30Z",
                List.of(ratio(TRACING, "http", 1.16), ratio(TRACING, "kafka", 1.11), ratio(FRAMEWORK, "kafka", 1.40)),
                List.of(window("off", 0.001))));

        int exit = run(a, b, folder.resolve("report"));

        assertThat(exit).isZero();
        assertThat(stdout()).contains(
                "| " + TRACING + " | http | 16 / 16 | 1.160 | 1.160 | 0.0 % | yes |",
                "| " + TRACING + " | kafka | 16 / 16 | 1.000 | 1.110 | 11.0 % | no |",
                "| " + FRAMEWORK + " | http | 16 / 16 | 1.300 | - | - | no (only in run A) |",
                "| " + FRAMEWORK + " | kafka | 16 / 16 | - | 1.400 | - | no (only in run B) |",
                "| A | 0.10 % | yes | 0.10 % | 0.10 % |",
                "The two runs agree: **no**, 1 of 4 ratios within 10 %, 2 in one run only.");
    }

    @Test
    void aFileThatCannotBeReadIsAnErrorNotAVerdict(@TempDir Path folder) throws Exception {
        var a = Runs.write(folder.resolve("a"), Runs.report("2026-12-06T20:00Z", List.of(ratio(TRACING, "http", 1.16)), List.of()));
        Path missing = folder.resolve("b/results.json");

        int exit = run(a, missing, folder.resolve("report"));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(missing.toString());
        assertThat(stdout()).doesNotContain("agree");
        assertThat(folder.resolve("report/repeat.md")).doesNotExist();
    }

    private int run(Path a, Path b, Path report) {
        return RepeatCheck.run(new BenchOptions.Compared(a, b), report, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }
}
