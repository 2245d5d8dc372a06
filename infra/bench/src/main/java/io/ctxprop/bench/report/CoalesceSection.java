package io.ctxprop.bench.report;

import io.ctxprop.bench.measure.CoalesceCost;
import io.ctxprop.bench.measure.CoalesceSample;
import java.util.List;

/** results.md's section of coalescing a fast model's chunk records, before and after; nothing when the run did not measure it. */
public final class CoalesceSection {

    public static final String HEADING = "Streamed over Kafka from a fast model: chunk records coalesced (15 ms) against one per word (0)";

    private CoalesceSection() {
    }

    public static String render(List<CoalesceSample> samples) {
        return CoalesceCost.of(samples).map(cost -> render(cost, samples.getFirst().clients())).orElse("");
    }

    static String render(CoalesceCost cost, int clients) {
        var md = new StringBuilder(String.format("%n## %s%n%n", HEADING));
        md.append(String.format("""
                `POST /api/ask/stream` over Kafka, %d clients, a model writing a word every millisecond (500 words).
                `%s`: the gateway with `LLM_KAFKA_STREAM_COALESCE=0`, a chunk record per word; `%s`: 15 ms. Both
                stacks up at once, measured in alternating rounds (%d each). Records: what the gateway wrote to the
                stack's reply topic in the window (the broker's end offsets), chunk records and last records. CPU
                from /proc without the JIT threads (highest JIT share in these windows: %.1f %%). Both per answer
                ended in the window. Median of the rounds (lowest-highest); ratio: 15 ms / 0 of the medians, and
                round by round.

                """, clients, CoalesceCost.BEFORE, CoalesceCost.AFTER, cost.rounds(), cost.jitShareMax() * 100));
        md.append("| figure | coalesce 0 | coalesce 15 ms | 15 ms / 0 | round by round |\n|---|---:|---:|---:|---:|\n");
        for (CoalesceCost.Row row : cost.rows()) {
            md.append(String.format("| %s | %s | %s | %.2f | %s |%n", row.figure(), row.before().text(row.format()),
                    row.after().text(row.format()), row.ratio(), row.roundRatios().text("%.2f")));
        }
        md.append(String.format("%nAnswers/s: coalesce 0 %s, 15 ms %s. Errors and timeouts in these rounds: %d.%n",
                cost.beforeThroughput().text("%.1f"), cost.afterThroughput().text("%.1f"), cost.errors()));
        return md.toString();
    }
}
