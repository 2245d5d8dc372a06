package io.ctxprop.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.ctxprop.bench.carriers.CarrierRun.HopCost;
import io.ctxprop.bench.compare.Ratio;
import io.ctxprop.bench.measure.Samples;
import io.ctxprop.bench.measure.StreamSummary;
import io.ctxprop.bench.measure.Summary;
import io.ctxprop.bench.measure.WarmUp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class ReportFilesTest {

    @Test
    void writesTheJsonAndTheTables(@TempDir Path folder) throws Exception {
        var samples = List.of(
                Samples.of("off", "kafka", 1, 16, 0.40, 0.40, 3.0),
                Samples.traced("inspector+phoenix", "kafka", 1, 16, 0.50, 0.45, 3.5, 4500L, 1000, 999, null),
                Samples.of("off", "kafka", 2, 16, 0.42, 0.40, 3.0),
                Samples.traced("inspector+phoenix", "kafka", 2, 16, 0.48, 0.45, 3.4, 4500L, 1000, 1000, null),
                Samples.slow("http", 950, 0, 0, 20_000, 20_000, 3));
        var summaries = Summary.of(samples);
        var carriers = List.of(new HopCost("httpHop", 420, 12), new HopCost("kafkaHop", 380, 9));
        var curve = new WarmUp.Curve("off", List.of(new WarmUp.Point(10, 500, 2.1, 1.5), new WarmUp.Point(20, 900, 0.95, 0.2),
                new WarmUp.Point(30, 910, 0.93, 0.01), new WarmUp.Point(40, 905, 0.94, 0)), true);
        var streamSamples = List.of(
                Samples.streamed("off", "http", 1, 100, 12.5, 30.25, 640, 700, 31, 0, 0),
                Samples.streamed("inspector+phoenix", "kafka", 1, 100, 48, 160, 720, 1020, 31, 4, 3));
        var setups = new LinkedHashMap<String, String>();
        setups.put("off", "no tracing");
        setups.put("inspector+phoenix", "to the inspector and Phoenix");
        var report = new BenchReport("infra/bench/bench.sh", "2026-11-27T08:00Z", 17.5, Map.of("cores", "2"), "", 16, 1000,
                setups, List.of(curve), samples, summaries, carriers,
                Targets.judge(summaries, List.of(), 16, 1000, carriers, 17.5, 20, "(full)", (s, p) -> "profile of " + s + " " + p),
                100, 20, streamSamples, StreamSummary.of(streamSamples),
                List.of(Ratio.of("tracing's cost (traced / untraced)", "inspector+phoenix", 16, "off", 16, "kafka", samples).orElseThrow()), List.of(),
                List.of(Samples.of("off", "kafka", 3, 16, 0.5, 0.5, 2.0)));

        ReportFiles.write(report, folder);

        var json = JsonMapper.builder().build().readTree(folder.resolve("results.json").toFile());
        assertThat(json.path("samples")).hasSize(5);
        assertThat(json.path("summaries").get(1).path("servicesMs").path("median").asDouble()).isEqualTo(0.94, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(json.path("carriers").get(0).path("nanosPerOp").asDouble()).isEqualTo(420);
        assertThat(json.path("warmUps").get(0).path("points")).hasSize(4);
        assertThat(json.path("targets").size()).isEqualTo(report.targets().size());
        assertThat(json.path("streamSamples")).hasSize(2);
        // every round paired: the ratio is the median of the rounds' own ratios, the medians' 0.94 / 0.81 beside it
        assertThat(json.path("ratios").get(0).path("ratio").asDouble())
                .isEqualTo(json.path("ratios").get(0).path("rounds").path("median").asDouble()).isNotEqualTo(0.94 / 0.81);
        assertThat(json.path("ratios").get(0).path("numeratorMs").asDouble() / json.path("ratios").get(0).path("denominatorMs").asDouble())
                .isEqualTo(0.94 / 0.81, org.assertj.core.api.Assertions.within(1e-9));
        var streamed = json.path("streaming").get(1);
        assertThat(streamed.path("transport").asString()).isEqualTo("kafka");
        assertThat(streamed.path("firstChunkP50Ms").path("median").asDouble()).isEqualTo(48);
        assertThat(streamed.path("firstChunkP99Ms").asDouble()).isEqualTo(160);
        assertThat(streamed.path("chunksPerAnswer").asDouble()).isEqualTo(31);
        assertThat(streamed.path("errors").asLong()).isEqualTo(4);
        assertThat(streamed.path("mismatches").asLong()).isEqualTo(3);

        String markdown = Files.readString(folder.resolve("results.md"));
        assertThat(markdown).contains(
                "| kafka | inspector+phoenix | 0.940 (0.930-0.950) | +16.0% |",
                "## Primary figures: ratios within this run",
                "true of this machine only (cores 2)",
                "| tracing's cost (traced / untraced) | kafka | inspector+phoenix (16 clients) | off (16 clients) | 1.161 | 1.161 (1.134-1.187) | 0.940 / 0.810 | 5.4, 5.3, 5.9 % |",
                "| 0.300 | 0.050 | 0.050, 0.100 |",
                "| kafka | off | 0.810 (0.800-0.820) |  |",
                "1999 / 2000",
                "| http | slow | 1000.00 | 1200.00 | 950 |",
                "| subject | slice | 1 | 2 | 3 | 4 | steady |",
                "| off | 10 s | 2.100 (+1.50) | 0.950 (+0.20) | 0.930 (+0.01) | 0.940 (+0.00) | yes |",
                "| httpHop | 420 ± 12 |",
                "| kafka: tracing costs <= 5% of the CPU per answer | +16.0% (0.940 on vs 0.810 off ms) | **missed** |",
                "## Rounds set aside",
                "| kafka | off | 16 | 3 | 4.8 % | 1.000 |",
                "profile of inspector+phoenix kafka",
                "- **inspector+phoenix**: to the inspector and Phoenix",
                "## Streamed answers: time to first chunk, 100 clients",
                "the model writing a word every 20 ms",
                "| setup | transport | clients | first chunk p50 ms | first chunk p99 ms | answer p50 ms | answer p99 ms "
                        + "| chunks per answer | answers/s | answers | errors | timeouts | traces whole |",
                "| off | http | 100 | 12.5 | 30.3 | 640.0 | 700.0 | 31.0 | 50 | 500 | 0 (0) | 0 | - |",
                "| inspector+phoenix | kafka | 100 | 48.0 | 160.0 | 720.0 | 1020.0 | 31.0 | 50 | 500 | 4 (3) | 0 | 500 / 500 |");
        // a table whose separator row has another count of columns than its header is no table in Markdown
        var lines = markdown.lines().toList();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).startsWith("|---")) {
                assertThat(lines.get(i).chars().filter(c -> c == '|').count()).as("the columns of the table under: " + lines.get(i - 1))
                        .isEqualTo(lines.get(i - 1).chars().filter(c -> c == '|').count());
            }
        }
    }
}
