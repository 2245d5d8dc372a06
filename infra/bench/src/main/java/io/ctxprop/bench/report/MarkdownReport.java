package io.ctxprop.bench.report;

import io.ctxprop.bench.carriers.CarrierRun.HopCost;
import java.util.Objects;
import java.util.stream.Collectors;

/** results.md: the tables of docs/performance/ (the README shows their headline), and the profiles of misses. */
public final class MarkdownReport {

    private MarkdownReport() {
    }

    public static String render(BenchReport report) {
        var md = new StringBuilder();
        md.append("# Benchmark results\n\n");
        md.append("`").append(report.command()).append("`, started ").append(report.started())
                .append(String.format(", %.1f minutes.%n%n", report.minutes()));
        md.append("Machine: ").append(report.machine().entrySet().stream()
                .map(entry -> entry.getKey() + " " + entry.getValue()).collect(Collectors.joining("; "))).append(".\n\n");
        md.append(throughputTable(report)).append('\n');
        md.append(resourceTable(report)).append('\n');
        if (!report.carriers().isEmpty()) {
            md.append("| carrier (JMH) | inject + extract, ns/op |\n|---|---:|\n");
            for (HopCost hop : report.carriers()) {
                md.append(String.format("| %s | %.0f ± %.0f |%n", hop.carrier(), hop.nanosPerOp(), hop.error()));
            }
            md.append('\n');
        }
        md.append(targetTable(report));
        md.append(waterfalls(report));
        var misses = report.targets().stream().filter(t -> !t.met() && t.profile() != null).toList();
        if (!misses.isEmpty()) {
            md.append("\n## Where the time goes in the missed targets (JFR, hottest methods)\n");
            misses.stream().map(TargetResult::profile).distinct().forEach(profile ->
                    md.append("\n```\n").append(profile.strip()).append("\n```\n"));
        }
        return md.toString();
    }

    public static String throughputTable(BenchReport report) {
        var md = new StringBuilder("| scenario | tracing | clients | req/s | p50 ms | p90 ms | p99 ms | max ms | ok | errors | timeouts |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ScenarioResult s : report.scenarios()) {
            md.append(String.format("| %s | %s | %d | %,.0f | %.2f | %.2f | %.2f | %.1f | %,d | %d | %d |%n", s.name(),
                    s.tracing(), s.clients(), s.throughput(), s.p50Ms(), s.p90Ms(), s.p99Ms(), s.maxMs(), s.ok(), s.errors(),
                    s.timeouts()));
        }
        return md.toString();
    }

    public static String resourceTable(BenchReport report) {
        var md = new StringBuilder("| scenario | CPU s per process (window) | CPU ms/request | peak RSS MiB | spans exported | spans dropped | traces whole |\n");
        md.append("|---|---|---:|---|---:|---:|---:|\n");
        for (ScenarioResult s : report.scenarios()) {
            md.append(String.format("| %s | %s | %.2f | %s | %s | %s | %s |%n", s.name(),
                    s.processes().stream().map(p -> String.format("%s %.1f", p.name(), p.cpuSeconds())).collect(Collectors.joining(", ")),
                    s.cpuMsPerRequest(),
                    s.processes().stream().map(p -> String.format("%s %.0f", p.name(), p.peakRssMib())).collect(Collectors.joining(", ")),
                    orDash(s.spansExported()), orDash(s.spansDropped()),
                    s.traces() == null ? "-" : s.tracesComplete() + " / " + s.traces()));
        }
        return md.toString();
    }

    /** The average traced request of each scenario, span by span: where a request's time goes. */
    public static String waterfalls(BenchReport report) {
        var md = new StringBuilder();
        for (ScenarioResult s : report.scenarios()) {
            if (s.waterfall().isEmpty()) {
                continue;
            }
            md.append(String.format("%n### The average %s request (%d traces), ms after it starts%n%n", s.name(),
                    s.waterfall().getFirst().traces()));
            md.append("| span | starts | ends | takes |\n|---|---:|---:|---:|\n");
            for (SpanTiming span : s.waterfall()) {
                md.append(String.format("| %s | %.2f | %.2f | %.2f |%n", span.name(), span.startMs(), span.endMs(),
                        span.endMs() - span.startMs()));
            }
        }
        return md.toString();
    }

    public static String targetTable(BenchReport report) {
        var md = new StringBuilder("| target | this run | |\n|---|---|---|\n");
        for (TargetResult target : report.targets()) {
            md.append("| ").append(target.target()).append(" | ").append(target.measured()).append(" | ")
                    .append(target.met() ? "met" : "**missed**").append(" |\n");
        }
        return md.toString();
    }

    private static String orDash(Object value) {
        return Objects.toString(value, "-");
    }
}
