package io.ctxprop.bench.report;

import io.ctxprop.bench.measure.Sample;
import io.ctxprop.bench.measure.SecurityCost;
import java.util.List;

/** results.md's section of the cost of securing Kafka; nothing when the run did not measure it. */
public final class SecuredKafkaSection {

    public static final String HEADING = "Kafka secured (TLS + SCRAM) against plaintext";

    private SecuredKafkaSection() {
    }

    public static String render(List<Sample> samples, int clients) {
        return SecurityCost.of(samples).map(cost -> render(cost, clients)).orElse("");
    }

    static String render(SecurityCost cost, int clients) {
        var md = new StringBuilder(String.format("%n## %s%n%n", HEADING));
        md.append(String.format("""
                `POST /api/ask` over Kafka, %d clients, telemetry off in both stacks: `%s` on the run's plaintext
                broker, `%s` on a broker of its own secured as `broker.sh --secure` runs it (SASL_SSL, SCRAM-SHA-512
                over TLS, ACLs), both up at once and measured in alternating rounds (%d each). CPU ms per answer
                from /proc without the JIT threads: median (lowest-highest round). Ratio: secured / plaintext of the
                medians; round by round: the median of round r secured over round r plaintext (lowest-highest).
                (In the CPU table above, these two rows' "tracing's cost" compares them with another stack: read this.)

                """, clients, SecurityCost.PLAIN, SecurityCost.SECURED, cost.rounds()));
        md.append("| service | plaintext ms | secured ms | secured / plaintext | round by round |\n|---|---:|---:|---:|---:|\n");
        for (SecurityCost.Row row : cost.rows()) {
            md.append(String.format("| %s | %s | %s | %.2f | %s |%n", row.service(), row.plain().text("%.3f"),
                    row.secured().text("%.3f"), row.ratio(), row.roundRatios().text("%.2f")));
        }
        md.append(String.format("%nAnswers/s: plaintext %s, secured %s. Each stack's own broker, ms CPU per answer: "
                        + "plaintext %s, secured %s. Errors and timeouts in these rounds: %d.%n",
                cost.plainThroughput().text("%,.0f"), cost.securedThroughput().text("%,.0f"),
                cost.plainBrokerMs().text("%.3f"), cost.securedBrokerMs().text("%.3f"), cost.errors()));
        return md.toString();
    }
}
