package io.ctxprop.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.ctxprop.bench.report.BenchReport;
import io.ctxprop.bench.report.ScenarioResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The harness end to end as {@code bench.sh --smoke} runs it: a broker, the raw baseline, both services
 * with tracing on over every path, the carriers, and the three result files.
 */
class BenchSmokeIT {

    @Test
    void aSmokeRunMeasuresEveryPathAndWritesItsResults() throws Exception {
        Path root = Path.of(System.getProperty("bench.root"));
        Path out = Path.of("target/bench-smoke").toAbsolutePath();
        var lines = new ArrayList<String>();
        var options = BenchOptions.parse(new String[] {"--smoke", "--out", out.toString()}, root,
                Path.of(System.getProperty("bench.services")));

        BenchReport report = new Bench(options, line -> {
            lines.add(line);
            System.out.println(line);
        }).run();

        assertThat(report.scenarios()).extracting(ScenarioResult::name)
                .containsExactly("raw", "http-on", "kafka-on", "both-on");
        for (ScenarioResult scenario : report.scenarios()) {
            assertThat(scenario.ok()).as(scenario.name() + " answered").isPositive();
            assertThat(scenario.errors() + scenario.timeouts()).as(scenario.name() + " failures").isZero();
            assertThat(scenario.processes()).as(scenario.name() + " processes")
                    .allSatisfy(process -> assertThat(process.peakRssMib()).isPositive());
        }
        for (ScenarioResult traced : report.scenarios().subList(1, 4)) {
            assertThat(traced.spansExported()).as(traced.name() + " spans at the sink").isPositive();
            assertThat(traced.spansDropped()).as(traced.name() + " spans dropped").isZero();
            assertThat(traced.tracesComplete()).as(traced.name() + " whole traces").isEqualTo(traced.traces()).isPositive();
        }
        assertThat(report.carriers()).hasSize(2).allSatisfy(hop -> assertThat(hop.nanosPerOp()).isPositive());
        assertThat(report.targets()).isNotEmpty();
        assertThat(List.of("results.json", "results.md", "latency.svg")).allSatisfy(file ->
                assertThat(out.resolve(file)).isNotEmptyFile());
        assertThat(Files.readString(out.resolve("results.md"))).contains("| raw |", "| both-on |");
        assertThat(lines).anyMatch(line -> line.startsWith("  kafka-on:"));
    }
}
