package io.ctxprop.bench;

import io.ctxprop.bench.compare.Pair;
import io.ctxprop.bench.measure.CoalesceCost;
import io.ctxprop.bench.measure.CoalesceSample;
import io.ctxprop.bench.measure.ReplyRecords;
import io.ctxprop.bench.measure.Sampler;
import io.ctxprop.bench.measure.WarmUp;
import io.ctxprop.bench.process.LocalBroker;
import io.ctxprop.bench.stack.AskPath;
import io.ctxprop.bench.stack.ModelServer;
import io.ctxprop.bench.stack.ServiceStack;
import io.ctxprop.bench.stack.SpanSink;
import io.ctxprop.bench.stack.StreamAskCall;
import io.ctxprop.bench.stack.TracingSetup;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Coalescing chunk records before and after ({@code --only stream-coalesce}): a fast model (a word every
 * millisecond, 500 words) streaming through two stacks alive together, one gateway with
 * {@code LLM_KAFKA_STREAM_COALESCE=0} (a record per word, as before issue 23), one with 15 ms; both
 * warmed up, then measured in alternating rounds on the Kafka path ({@link #PAIR}). The model is the
 * scenario's own: the run's stand-in writes a word every 20 ms, slower than the window, so it would send
 * a record per word either way.
 */
final class StreamCoalesceRun {

    static final String SUBJECT = "stream-coalesce";
    static final Pair PAIR = new Pair("coalescing a fast model's chunk records (15 ms / 0)", CoalesceCost.AFTER,
            CoalesceCost.BEFORE);
    static final Duration TOKEN_DELAY = Duration.ofMillis(1);
    static final int WORDS = 500;
    /** The setup users run with tracing on: what a record costs includes its trace header and the spans around it. */
    static final TracingSetup SETUP = TracingSetup.INSPECTOR_PHOENIX;
    private static final Map<String, String> WINDOWS = Map.of(CoalesceCost.BEFORE, "0", CoalesceCost.AFTER, "15ms");
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

    private final BenchOptions options;
    private final Consumer<String> progress;

    StreamCoalesceRun(BenchOptions options, Consumer<String> progress) {
        this.options = options;
        this.progress = progress;
    }

    static Map<String, String> setups() {
        String common = SETUP.description() + "; a model writing " + WORDS + " words " + TOKEN_DELAY.toMillis()
                + " ms apart, streamed over Kafka";
        return Map.of(CoalesceCost.BEFORE, common + "; LLM_KAFKA_STREAM_COALESCE=0 (a chunk record per word)",
                CoalesceCost.AFTER, common + "; LLM_KAFKA_STREAM_COALESCE=15ms");
    }

    List<CoalesceSample> run(LocalBroker broker, SpanSink sink, Path work, Path logs, List<WarmUp.Curve> warmUps)
            throws Exception {
        var samples = new ArrayList<CoalesceSample>();
        var jvm = options.serviceJvm();
        try (var model = ModelServer.start("fast-model", Duration.ZERO, TOKEN_DELAY, WORDS, work, logs);
                var before = start(CoalesceCost.BEFORE, model, broker, sink, logs, jvm);
                var after = start(CoalesceCost.AFTER, model, broker, sink, logs, jvm);
                var replies = new ReplyRecords(broker.bootstrapServers())) {
            progress.accept(PAIR.name() + ": up: " + PAIR.members());
            var stacks = Map.of(CoalesceCost.BEFORE, before, CoalesceCost.AFTER, after);
            var sampler = new Sampler(sink, Map.of(), progress);
            if (!options.jitWarmUp().isZero()) {
                var slice = options.warmUpSlice();
                var http = HttpClient.newHttpClient();
                for (String name : PAIR.members()) {
                    var stack = stacks.get(name);
                    var call = new StreamAskCall(http, stack.url(), AskPath.KAFKA, Sampler.TEXT, CLIENT_TIMEOUT);
                    warmUps.add(WarmUp.run(stack, () -> call.call().outcome(), options.clients(), slice, options.jitWarmUp(),
                            progress));
                }
            }
            progress.accept(String.format("%s: %d round(s) of %d s per stack, %d clients, streamed over Kafka", PAIR.name(),
                    options.rounds(), options.window().toSeconds(), options.clients()));
            for (int round = 1; round <= options.rounds(); round++) {
                for (String name : PAIR.order(round)) {
                    samples.add(sampler.coalesced(stacks.get(name), WINDOWS.get(name), round, options.clients(),
                            options.warmUp(), options.window(), replies));
                }
            }
        }
        CoalesceCost.of(samples).ifPresent(cost -> cost.rows().forEach(row -> progress.accept(String.format(
                "  %s: coalesce 0 %s, 15 ms %s, 15 ms / 0 = %.2f", row.figure(), row.before().text(row.format()),
                row.after().text(row.format()), row.ratio()))));
        return samples;
    }

    private ServiceStack start(String name, ModelServer model, LocalBroker broker, SpanSink sink, Path logs, List<String> jvm)
            throws Exception {
        return ServiceStack.start(new ServiceStack.Plan(name, SETUP, model, broker.bootstrapServers(), sink, options.services(),
                jvm, logs, false), Map.of("LLM_KAFKA_STREAM_COALESCE", WINDOWS.get(name)), Map.of());
    }
}
