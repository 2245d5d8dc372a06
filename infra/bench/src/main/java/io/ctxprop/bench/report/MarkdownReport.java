package io.ctxprop.bench.report;

import io.ctxprop.bench.carriers.CarrierRun.HopCost;
import io.ctxprop.bench.compare.Ratio;
import io.ctxprop.bench.measure.Sample;
import io.ctxprop.bench.measure.StreamSummary;
import io.ctxprop.bench.measure.Summary;
import io.ctxprop.bench.measure.WarmUp;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * results.md: the targets, CPU per answer per service, latency at concurrency 1, the slow model,
 * streamed answers, warm-up, every round.
 */
public final class MarkdownReport {

    private MarkdownReport() {
    }

    public static String render(BenchReport report) {
        var md = new StringBuilder("# Benchmark results\n\n");
        md.append("`").append(report.command()).append("`, started ").append(report.started())
                .append(String.format(", %.1f minutes.%n%n", report.minutes()));
        md.append("Machine: ").append(report.machine().entrySet().stream()
                .map(entry -> entry.getKey() + " " + entry.getValue()).collect(Collectors.joining("; "))).append(".\n");
        md.append("Services: `java ").append(report.serviceJvm()).append("` (G1, the JVM's default JIT unless shown).\n\n");
        md.append("Setups:\n\n");
        report.setups().forEach((name, what) -> md.append("- **").append(name).append("**: ").append(what).append('\n'));
        md.append("\n## Primary figures: ratios within this run\n\n").append(ratioTable(report));
        md.append("\n## Targets\n\n").append(targetTable(report));
        md.append(String.format("%n## CPU per answer, %d clients (median of the rounds, lowest-highest in brackets)%n%n", report.clients()));
        md.append("""
                Front and back are the application and the gateway (for raw: its front and gateway processes), CPU
                milliseconds per answer from /proc over each round's window, without the JIT compiler threads (their
                share, front and back together, is the JIT column: it falls to zero once the JIT is done, which takes
                minutes for a dozen fresh JVMs on 2 cores). The model stand-in, the broker and the
                harness (load generator and span sink) are reported apart. "Against off" is a setup's median over
                `off`'s on the same path; the pairs' own ratios (the median of their rounds' ratios) are the
                primary figures, in the table above. GC pauses: stop-the-world milliseconds per request (jstat, over warm-up and window).
                Spans, attributes and bytes per answer are what reached the span sink.
                """);
        md.append(pacing(report));
        md.append(cpuTable(report, report.clients()));
        md.append(SecuredKafkaSection.render(report.samples(), report.clients()));
        md.append(CoalesceSection.render(report.coalescing()));
        md.append("\n## Latency at concurrency 1 (median of the rounds)\n\n");
        md.append(oneClientPairs(report));
        md.append(latencyTable(report, 1));
        md.append(String.format("%n## The slow model: 1 s per answer, %,d clients%n%n", report.slowClients()));
        md.append(slowReference(report));
        md.append(latencyTable(report, report.slowClients()));
        if (!report.streaming().isEmpty()) {
            md.append(String.format("%n## Streamed answers: time to first chunk, %d clients%n%n", report.streamClients()));
            md.append(String.format("""
                    `POST /api/ask/stream` over each transport, the model writing a word every %d ms. The load
                    generator reads each event stream as it arrives: time to first chunk from sending the request
                    to the first `chunk` event, the whole answer to `done`; an answer whose chunks do not add up
                    to its `answer` text counts as an error (in brackets). Median of the rounds' percentiles.

                    """, report.tokenDelayMs()));
            md.append(streamingTable(report));
        }
        if (!report.carriers().isEmpty()) {
            md.append("\n## Carriers (JMH)\n\n| carrier | inject + extract, ns/op |\n|---|---:|\n");
            for (HopCost hop : report.carriers()) {
                md.append(String.format("| %s | %.0f ± %.0f |%n", hop.carrier(), hop.nanosPerOp(), hop.error()));
            }
        }
        md.append("\n## Warm-up: front + back CPU ms per answer slice by slice, without JIT (+ JIT)\n\n")
                .append(warmUpTable(report.warmUps()));
        md.append("\n## Every round\n\n").append(samplesTable(report.samples()));
        if (!report.setAside().isEmpty()) {
            md.append("\n## Rounds set aside\n\nThe JIT compiler threads used 2 % or more of a stack's CPU in these windows, so the round")
                    .append(" was measured again (at most as many times as there were rounds; out of tries, the rounds with the least")
                    .append(" JIT were used, and the JIT share shows them).\n\n");
            md.append("| path | setup | clients | round | JIT share | front + back ms |\n|---|---|---:|---:|---:|---:|\n");
            for (Sample s : report.setAside()) {
                md.append(String.format("| %s | %s | %d | %d | %.1f %% | %.3f |%n", s.path(), s.subject(), s.clients(), s.round(),
                        s.servicesJitShare() * 100, s.servicesMsPerAnswer()));
            }
        }
        var misses = report.targets().stream().filter(t -> !t.met() && t.profile() != null).toList();
        if (!misses.isEmpty()) {
            md.append("\n## Where the time goes in the missed targets (JFR, hottest methods)\n");
            misses.stream().map(TargetResult::profile).distinct().forEach(profile ->
                    md.append("\n```\n").append(profile.strip()).append("\n```\n"));
        }
        return md.toString();
    }

    /**
     * Each ratio from the rounds of one pair of stacks alive together, with the rounds' own ratios beside it
     * (their spread is what one run can say), the absolute milliseconds labelled with the machine, and the
     * JIT's share in the windows it comes from: together, with the windows set aside for it, and the highest.
     */
    public static String ratioTable(BenchReport report) {
        if (report.ratios().isEmpty()) {
            return "(no pair of setups in this run)\n";
        }
        String machine = report.machine().entrySet().stream().map(entry -> entry.getKey() + " " + entry.getValue())
                .collect(Collectors.joining(", "));
        var md = new StringBuilder(String.format(
                "Front + back CPU per answer, one setup over another. The milliseconds are true of this machine only (%s). "
                        + "The JIT compiler threads' share of the services' CPU in the windows these figures come from: %.2f %%"
                        + " (warm: under 2 %%); the highest in one of them: %.1f %%.%s%n%n",
                machine, report.jitShareKept() * 100, report.jitShareMax() * 100, setAsideText(report)));
        md.append("| ratio | path | numerator | denominator | ratio | round by round | ms (numerator / denominator) "
                + "| JIT share: together, with the windows set aside, highest |\n");
        md.append("|---|---|---|---|---:|---|---|---:|\n");
        for (Ratio ratio : report.ratios()) {
            List<Sample> kept = windowsOf(ratio, report.samples());
            md.append(String.format("| %s | %s | %s (%d clients) | %s (%d clients) | %.3f | %s | %.3f / %.3f | %.1f, %.1f, %.1f %% |%n",
                    ratio.name(), ratio.path(), ratio.numerator(), ratio.numeratorClients(), ratio.denominator(),
                    ratio.denominatorClients(), ratio.ratio(), ratio.rounds() == null ? "-" : ratio.rounds().text("%.3f"),
                    ratio.numeratorMs(), ratio.denominatorMs(), Sample.jitShareTogether(kept) * 100,
                    Sample.jitShareTogether(kept, windowsOf(ratio, report.setAside())) * 100, ratio.jitShare() * 100));
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

    /** How the CPU rounds' clients were paced and which stacks shared their windows, as the samples say. */
    static String pacing(BenchReport report) {
        // the slow model's stack at 16 clients is no pair's: the slow model's section says how it was measured
        var rounds = report.samples().stream()
                .filter(sample -> sample.clients() == report.clients() && !sample.subject().equals(Targets.SLOW)).toList();
        if (rounds.isEmpty()) {
            return "";
        }
        if (rounds.stream().noneMatch(sample -> sample.offeredRate() > 0)) {
            return """
                    The clients of these rounds went as fast as answers came: on a saturated machine a setup's CPU per
                    answer moves with the throughput it happened to get.

                    """;
        }
        var text = new StringBuilder("""
                The clients of these rounds were paced: both stacks of a pair got the same rate, a share (`--pace`) of
                what the slower one answered unpaced just before (each round's rate is in Every round), so a setup's
                CPU per answer is read at equal load, not at whatever throughput a saturated machine gave it.""");
        var together = sharedWindows(rounds);
        if (!together.isEmpty()) {
            text.append(" Measured side by side, each stack on its own clients at half the rate, in the same window: ")
                    .append(String.join(", ", together))
                    .append(" (a drift of the machine falls on both; the model's, broker's and harness's CPU of such a window")
                    .append(" served both stacks).");
        }
        if (rounds.stream().anyMatch(sample -> sample.offeredRate() > 0 && sample.alongside() == null)) {
            text.append(" The other pairs took turns at the full rate.");
        }
        return text.append("\n\n").toString();
    }

    /** The windows among {@code samples} a ratio's two sides come from (or would have, for those set aside). */
    static List<Sample> windowsOf(Ratio ratio, List<Sample> samples) {
        return samples.stream().filter(sample -> sample.path().equals(ratio.path())
                && (sample.subject().equals(ratio.numerator()) && sample.clients() == ratio.numeratorClients()
                        || sample.subject().equals(ratio.denominator()) && sample.clients() == ratio.denominatorClients()))
                .toList();
    }

    /** How many windows were set aside for their JIT, and the share with them counted; nothing when none was. */
    static String setAsideText(BenchReport report) {
        if (report.setAside().isEmpty()) {
            return "";
        }
        return String.format(" %d window(s) in which the JIT used 2 %% or more were set aside and measured again (a pair's"
                + " round up to as many times as there are rounds, a 1,000-client window once; out of tries, the ones with the"
                + " least JIT count); with them counted, the share is %.2f %%.", report.setAside().size(),
                report.jitShareWithSetAside() * 100);
    }

    /** What the slow model's cost per answer is read against, where the run measured it. */
    static String slowReference(BenchReport report) {
        var reference = report.samples().stream()
                .filter(sample -> sample.subject().equals(Targets.SLOW) && sample.clients() == report.clients()).toList();
        if (reference.isEmpty()) {
            return "";
        }
        boolean paced = reference.stream().allMatch(sample -> sample.offeredRate() > 0);
        return String.format("Its CPU per answer is read against the same stack's at %d clients on quick answers, measured just"
                + " before the model took its second (setup `slow` in the %d-client table), %s: the ratio \"cost at %,d clients\""
                + " above.%n%n", report.clients(), report.clients(), paced
                ? "its clients paced to `--pace` of its own full speed, alone on the machine (the load a pair measured side by side puts on it)"
                : "its clients unpaced", report.slowClients());
    }

    /** The pairs of stacks measured in one window among {@code samples}, each once: "a with b". */
    private static List<String> sharedWindows(List<Sample> samples) {
        return samples.stream().filter(sample -> sample.alongside() != null)
                .map(sample -> java.util.stream.Stream.of(sample.subject(), sample.alongside()).sorted().collect(Collectors.joining(" with ")))
                .distinct().toList();
    }

    /** Which stacks answered their single client at once, in the same window, as the samples say. */
    static String oneClientPairs(BenchReport report) {
        var oneClient = report.samples().stream().filter(sample -> sample.clients() == 1).toList();
        if (oneClient.isEmpty()) {
            return "";
        }
        var together = sharedWindows(oneClient);
        if (together.isEmpty()) {
            return "Each stack answered its one client alone, one stack after the other.\n\n";
        }
        return "Side by side, each stack answering its own one client in the same window: " + String.join(", ", together)
                + ". A drift of the machine then falls on both stacks of a pair; each had the other as its neighbour"
                + " (not quite the same load: the traced stack works more), and a stack alone on the machine answers"
                + " somewhat faster.\n\n";
    }

    public static String cpuTable(BenchReport report, int clients) {
        var md = new StringBuilder("| path | setup | front + back ms | against off (medians) | front ms | back ms | model ms | broker ms "
                + "| harness ms | JIT ms | GC pauses ms (front, back) | answers/s | p50 ms | p99 ms | spans | attributes | bytes | traces whole |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Summary s : of(report, clients)) {
            var off = report.summaries().stream().filter(o -> o.subject().equals(Targets.OFF) && o.path().equals(s.path())
                    && o.clients() == clients).findFirst();
            // slow: measured alone at --pace of its own speed, off beside another stack at half: not a tracing cost
            String cost = List.of(Targets.OFF, Targets.RAW, Targets.SLOW).contains(s.subject()) || off.isEmpty() ? ""
                    : String.format("%+.1f%%", (s.servicesMs().median() / off.get().servicesMs().median() - 1) * 100);
            md.append(String.format("| %s | %s | %s | %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f, %.3f | %,.0f | %.2f | %.2f | %s | %s | %s | %s |%n",
                    s.path(), s.subject(), s.servicesMs().text("%.3f"), cost, s.frontMs(), s.backMs(), s.modelMs(), s.brokerMs(),
                    s.benchMs(), s.jitMs(), s.frontGcMs(), s.backGcMs(), s.throughput(), s.p50Ms().median(), s.p99Ms(), number(s.spansPerAnswer(), "%.1f"),
                    number(s.attributesPerAnswer(), "%.0f"), number(s.bytesPerAnswer(), "%,.0f"), whole(s)));
        }
        return md.toString();
    }

    public static String latencyTable(BenchReport report, int clients) {
        var md = new StringBuilder("| path | setup | p50 ms | p99 ms | answers/s | front + back ms CPU | errors | timeouts | spans dropped | traces whole |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Summary s : of(report, clients)) {
            md.append(String.format("| %s | %s | %s | %.2f | %,.0f | %.3f | %d | %d | %s | %s |%n", s.path(), s.subject(),
                    s.p50Ms().text("%.2f"), s.p99Ms(), s.throughput(), s.servicesMs().median(), s.errors(), s.timeouts(),
                    Objects.toString(s.spansDropped(), "-"), whole(s)));
        }
        return md.toString();
    }

    public static String streamingTable(BenchReport report) {
        var md = new StringBuilder("| setup | transport | clients | first chunk p50 ms | first chunk p99 ms | answer p50 ms "
                + "| answer p99 ms | chunks per answer | answers/s | answers | errors | timeouts | traces whole |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (StreamSummary s : report.streaming()) {
            md.append(String.format("| %s | %s | %d | %s | %.1f | %s | %.1f | %.1f | %,.0f | %,d | %d (%d) | %d | %s |%n",
                    s.subject(), s.transport(), s.clients(), s.firstChunkP50Ms().text("%.1f"), s.firstChunkP99Ms(),
                    s.answerP50Ms().text("%.1f"), s.answerP99Ms(), s.chunksPerAnswer(), s.throughput(), s.answers(), s.errors(),
                    s.mismatches(), s.timeouts(), s.traces() == null ? "-" : s.tracesWhole() + " / " + s.traces()));
        }
        return md.toString();
    }

    static String warmUpTable(List<WarmUp.Curve> curves) {
        if (curves.isEmpty()) {
            return "(no warm-up in this mode)\n";
        }
        // curves of different slices (a stack under load, then one client): the columns count slices
        int slices = curves.stream().mapToInt(c -> c.points().size()).max().orElse(0);
        var md = new StringBuilder("| subject | slice |");
        for (int i = 0; i < slices; i++) {
            md.append(" ").append(i + 1).append(" |");
        }
        md.append(" steady |\n|---|---:|").append("---:|".repeat(slices)).append("---|\n");
        for (WarmUp.Curve curve : curves) {
            md.append("| ").append(curve.subject()).append(" | ")
                    .append(curve.points().isEmpty() ? "-" : String.format("%.0f s", curve.points().getFirst().atSeconds())).append(" |");
            for (int i = 0; i < slices; i++) {
                var point = i < curve.points().size() ? curve.points().get(i) : null;
                md.append(point == null ? " |" : String.format(" %.3f (+%.2f) |", point.servicesMs(), point.jitMs()));
            }
            md.append(curve.steady() ? " yes |\n" : " no: stopped at the time limit |\n");
        }
        return md.toString();
    }

    static String samplesTable(List<Sample> samples) {
        var md = new StringBuilder("| path | setup | clients | round | paced to /s | measured beside | answers/s | p50 ms | p99 ms | front ms | back ms | front + back ms | errors | timeouts |\n");
        md.append("|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Sample s : samples) {
            md.append(String.format("| %s | %s | %d | %d | %s | %s | %,.0f | %.2f | %.2f | %.3f | %.3f | %.3f | %d | %d |%n", s.path(), s.subject(),
                    s.clients(), s.round(), s.offeredRate() > 0 ? String.format("%,.0f", s.offeredRate()) : "unpaced",
                    s.alongside() == null ? "-" : s.alongside(),
                    s.throughput(), s.p50Ms(), s.p99Ms(), s.cpuMsPerAnswer(Sample.FRONT),
                    s.cpuMsPerAnswer(Sample.BACK), s.servicesMsPerAnswer(), s.errors(), s.timeouts()));
        }
        return md.toString();
    }

    private static List<Summary> of(BenchReport report, int clients) {
        return report.summaries().stream().filter(s -> s.clients() == clients).toList();
    }

    private static String whole(Summary s) {
        return s.traces() == null ? "-" : s.tracesWhole() + " / " + s.traces();
    }

    private static String number(Double value, String format) {
        return value == null ? "-" : String.format(format, value);
    }
}
