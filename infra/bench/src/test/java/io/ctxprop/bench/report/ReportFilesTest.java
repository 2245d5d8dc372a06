package io.ctxprop.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.ctxprop.bench.carriers.CarrierRun.HopCost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class ReportFilesTest {

    static ScenarioResult scenario(String name, String tracing, double throughput, double p50, Long dropped,
            Integer traces, Integer whole) {
        return new ScenarioResult(name, name.split("-")[0], tracing, 16, 45, throughput, p50, p50 * 2, p50 * 4, p50 * 8,
                (long) (throughput * 45), 0, 0, List.of(new ProcessFigures("gateway", 20.5, 240), new ProcessFigures("bench", 3, 150)),
                tracing.equals("on") ? 12_345L : null, dropped, traces, whole,
                tracing.equals("on") ? List.of(new SpanTiming("application_process_request", 0, p50, traces),
                        new SpanTiming("chat", p50 / 4, p50 / 2, traces)) : List.of());
    }

    @Test
    void writesTheJsonTheTablesAndTheChart(@TempDir Path folder) throws Exception {
        var scenarios = List.of(scenario("raw", "off", 5000, 0.8, null, null, null),
                scenario("kafka-on", "on", 900, 9.5, 0L, 40_500, 40_500),
                scenario("slow-http", "on", 950, 1004, 3L, 42_750, 42_749));
        var carriers = List.of(new HopCost("httpHop", 420, 12), new HopCost("kafkaHop", 380, 9));
        var report = new BenchReport("infra/bench/bench.sh", "2026-11-26T08:00Z", 12.5, Map.of("cores", "2"), scenarios,
                carriers, Targets.judge(scenarios, carriers, scenario -> "profile of " + scenario));

        ReportFiles.write(report, folder);

        var json = JsonMapper.builder().build().readTree(folder.resolve("results.json").toFile());
        assertThat(json.path("scenarios")).hasSize(3);
        assertThat(json.path("scenarios").get(1).path("throughput").asDouble()).isEqualTo(900);
        assertThat(json.path("scenarios").get(2).path("spansDropped").asLong()).isEqualTo(3);
        assertThat(json.path("carriers").get(0).path("nanosPerOp").asDouble()).isEqualTo(420);
        assertThat(json.path("targets").size()).isEqualTo(report.targets().size());

        String markdown = Files.readString(folder.resolve("results.md"));
        assertThat(markdown).contains("| kafka-on | on | 16 | 900 | 9.50 |", "| httpHop | 420 ± 12 |",
                "| kafka (tracing on) >= 0.8 x raw throughput | 0.18 x (900 vs 5,000 req/s) | **missed** |",
                "42749 / 42750", "profile of kafka-on",
                "### The average kafka-on request (40500 traces)", "| chat | 2.38 | 4.75 | 2.38 |");

        var svg = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(folder.resolve("latency.svg").toFile());
        assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(svg.getElementsByTagName("rect").getLength()).as("a background, 3 legend keys, 3 bars a scenario")
                .isEqualTo(1 + 3 + 3 * 3);
    }
}
