package io.ctxprop.bench;

import io.ctxprop.bench.compare.Pair;
import io.ctxprop.bench.measure.Sample;
import io.ctxprop.bench.measure.Sampler;
import io.ctxprop.bench.measure.SecurityCost;
import io.ctxprop.bench.measure.WarmUp;
import io.ctxprop.bench.process.LocalBroker;
import io.ctxprop.bench.process.SecuredBroker;
import io.ctxprop.bench.stack.AskPath;
import io.ctxprop.bench.stack.ModelServer;
import io.ctxprop.bench.stack.SecuredKafkaEnv;
import io.ctxprop.bench.stack.ServiceStack;
import io.ctxprop.bench.stack.SpanSink;
import io.ctxprop.bench.stack.TracingSetup;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The cost of securing Kafka ({@code --only secure-kafka}): a second broker, secured as broker.sh --secure
 * runs it (SASL_SSL, SCRAM-SHA-512 over TLS, ACLs), beside the run's plaintext broker; one stack on each,
 * both with telemetry off so that the transport is the only difference; both warmed up, then measured on
 * the Kafka path in alternating rounds ({@link #PAIR}: secured, plaintext, plaintext, secured, ...). The broker column of
 * each sample is that stack's own broker. {@link SecurityCost} makes the figure of the report. The secured
 * stack uses the topics and group the broker's ACLs grant (llm.*), not a stack's own prefixed ones: with
 * telemetry off no trace is checked, so {@link ServiceStack#wholeTrace} is never asked about them.
 */
final class SecuredKafkaRun {

    static final String SUBJECT = "secure-kafka";
    /** Its comparison, alternating rounds in the order {@link Pair#order} gives, like the run's other pairs. */
    static final Pair PAIR = new Pair("securing Kafka's cost (secured / plaintext, telemetry off)", SecurityCost.SECURED,
            SecurityCost.PLAIN);

    private final BenchOptions options;
    private final Consumer<String> progress;

    SecuredKafkaRun(BenchOptions options, Consumer<String> progress) {
        this.options = options;
        this.progress = progress;
    }

    static Map<String, String> setups() {
        return Map.of(
                SecurityCost.PLAIN, "telemetry off, Kafka in plaintext: the run's broker (PLAINTEXT listener)",
                SecurityCost.SECURED, "telemetry off, Kafka secured: a broker of its own as broker.sh --secure runs it "
                        + "(SASL_SSL, SCRAM-SHA-512 over TLS, ACLs), each service its own principal through Spring Boot's settings");
    }

    void run(LocalBroker plainBroker, ModelServer model, SpanSink sink, Path work, Path logs, List<Sample> samples,
            List<WarmUp.Curve> warmUps) throws Exception {
        progress.accept("secured Kafka: starting broker.sh --secure beside the plaintext broker");
        try (var securedBroker = SecuredBroker.start(options.projectRoot(), work, logs)) {
            progress.accept("secured broker on " + securedBroker.bootstrapServers() + " (TLS + SCRAM, ACLs)");
            var jvm = options.serviceJvm();
            try (var plain = ServiceStack.start(new ServiceStack.Plan(SecurityCost.PLAIN, TracingSetup.OFF, model,
                            plainBroker.bootstrapServers(), sink, options.services(), jvm, logs, false));
                    var secured = ServiceStack.start(new ServiceStack.Plan(SecurityCost.SECURED, TracingSetup.OFF, model,
                                    securedBroker.bootstrapServers(), sink, options.services(), jvm, logs, false),
                            SecuredKafkaEnv.of(securedBroker.secureDir(), "gateway"),
                            SecuredKafkaEnv.of(securedBroker.secureDir(), "application"))) {
                var plainSampler = new Sampler(sink, Map.of(Sample.BROKER, plainBroker), progress);
                var securedSampler = new Sampler(sink, Map.of(Sample.BROKER, securedBroker), progress);
                if (!options.jitWarmUp().isZero()) {
                    var slice = options.warmUpSlice();
                    warmUps.add(WarmUp.run(plain, plainSampler.ask(plain, AskPath.KAFKA), options.clients(), slice,
                            options.jitWarmUp(), progress));
                    warmUps.add(WarmUp.run(secured, securedSampler.ask(secured, AskPath.KAFKA), options.clients(), slice,
                            options.jitWarmUp(), progress));
                }
                progress.accept(String.format("secured Kafka: %d round(s) of %d s per stack on the Kafka path, %d clients",
                        options.rounds(), options.window().toSeconds(), options.clients()));
                for (int round = 1; round <= options.rounds(); round++) {
                    for (String name : PAIR.order(round)) {
                        ServiceStack stack = name.equals(SecurityCost.PLAIN) ? plain : secured;
                        var sampler = stack == plain ? plainSampler : securedSampler;
                        samples.add(sampler.sample(stack, model.process(), AskPath.KAFKA, round, options.clients(),
                                options.warmUp(), options.window(), false));
                    }
                }
            }
        }
        SecurityCost.of(samples).ifPresent(cost -> cost.rows().forEach(row -> progress.accept(String.format(
                "  secured / plaintext, %s: %.3f / %.3f ms CPU per answer = %.2f (rounds %s)", row.service(),
                row.secured().median(), row.plain().median(), row.ratio(), row.roundRatios().text("%.2f")))));
    }
}
