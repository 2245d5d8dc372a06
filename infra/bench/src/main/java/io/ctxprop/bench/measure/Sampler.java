package io.ctxprop.bench.measure;

import io.ctxprop.bench.load.Call;
import io.ctxprop.bench.load.LoadGenerator;
import io.ctxprop.bench.load.LoadResult;
import io.ctxprop.bench.load.Outcome;
import io.ctxprop.bench.process.Deadline;
import io.ctxprop.bench.process.Flight;
import io.ctxprop.bench.process.GcPauses;
import io.ctxprop.bench.process.Measured;
import io.ctxprop.bench.process.ProcessUsage;
import io.ctxprop.bench.stack.AskCall;
import io.ctxprop.bench.stack.AskPath;
import io.ctxprop.bench.stack.ServiceStack;
import io.ctxprop.bench.stack.SpanSink;
import io.ctxprop.bench.stack.StreamAskCall;
import io.ctxprop.bench.stack.Subject;
import java.util.Set;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Takes one {@link Sample}: a closed-loop load on a subject's path, with the CPU and peak memory of
 * every process read from /proc over the measurement window, and, where the span sink sees the
 * subject's spans, whether every trace a client got back arrived whole. Or one {@link StreamSample}:
 * the same load of streamed answers, timed to their first chunk and to their end.
 */
public final class Sampler {

    /** What a sample waits for before its load starts. */
    @FunctionalInterface
    public interface Ready {
        void await() throws Exception;
    }

    /** The prompt every scenario sends. */
    public static final String TEXT = "How does the trace context cross a Kafka hop?";
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = AskCall.client();
    /** The run's span sink: the one a subject without its own is checked against. */
    private final SpanSink sink;
    private final Map<String, Measured> shared;
    private final Consumer<String> progress;

    /** {@code shared}: the processes every subject uses, by role (model, broker). */
    public Sampler(SpanSink sink, Map<String, Measured> shared, Consumer<String> progress) {
        this.sink = sink;
        this.shared = shared;
        this.progress = progress;
    }

    public AskCall ask(Subject subject, AskPath path) {
        return new AskCall(http, subject.url(), path, TEXT, CLIENT_TIMEOUT);
    }

    public Sample sample(Subject subject, Measured model, AskPath path, int round, int clients, Duration warmUp,
            Duration window, boolean traceCheck) throws Exception {
        return sample(subject, model, path, round, clients, warmUp, window, traceCheck, 0, () -> { });
    }

    /**
     * As the other, the clients paced to {@code rate} requests per second together (0: unpaced); {@code ready}
     * runs after the readings before the load and may wait (for a sample taken beside this one, so that both
     * windows are the same seconds).
     */
    public Sample sample(Subject subject, Measured model, AskPath path, int round, int clients, Duration warmUp,
            Duration window, boolean traceCheck, double rate, Ready ready) throws Exception {
        AskCall call = ask(subject, path);
        call.prime();
        var dropped = subject instanceof ServiceStack stack ? stack.spansDropped() : null;
        SpanSink sink = sinkOf(subject);
        long spans = sink.spans();
        long attributes = sink.attributes();
        long bytes = sink.bytes();
        if (traceCheck) {
            sink.forgetTraces(); // only a subject the sink sees: another measured beside it keeps its traces
        }
        var processes = processes(subject, model);
        double frontGc = GcPauses.seconds(subject.front().pid());
        double backGc = GcPauses.seconds(subject.back().pid());
        var cpuAtStart = new HashMap<String, ProcessUsage.Cpu>();
        var cpu = new LinkedHashMap<String, Double>();
        var jit = new LinkedHashMap<String, Double>();
        var rss = new LinkedHashMap<String, Double>();
        ready.await();
        LoadResult load = new LoadGenerator(clients, warmUp, window, rate).run(call, line -> { }, opens -> {
            processes.forEach((role, process) -> {
                if (opens) {
                    ProcessUsage.resetPeak(process.pid());
                    cpuAtStart.put(role, ProcessUsage.cpu(process.pid()));
                } else {
                    var used = ProcessUsage.cpu(process.pid()).minus(cpuAtStart.get(role));
                    cpu.put(role, used.work());
                    jit.put(role, used.jit());
                    rss.put(role, ProcessUsage.peakRssMib(process.pid()));
                }
            });
        });
        var gc = Map.of(Sample.FRONT, GcPauses.seconds(subject.front().pid()) - frontGc,
                Sample.BACK, GcPauses.seconds(subject.back().pid()) - backGc);
        Integer traces = null;
        Integer whole = null;
        Long spanCount = null;
        Long attributeCount = null;
        Long byteCount = null;
        if (traceCheck) {
            traces = call.traceIds().size();
            whole = wholeTraces(subject, path, call.traceIds());
            spanCount = sink.spans() - spans;
            attributeCount = sink.attributes() - attributes;
            byteCount = sink.bytes() - bytes;
        }
        Long droppedNow = subject instanceof ServiceStack stack && dropped != null ? stack.spansDropped() - dropped : null;
        var sample = new Sample(subject.name(), path.transport(), round, clients, load.seconds(), load.ok(), load.errors(),
                load.timeouts(), load.throughput(), load.latencyMs(50), load.latencyMs(90), load.latencyMs(99), load.maxMs(),
                cpu, jit, rss, load.issued(), spanCount, attributeCount, byteCount, traces, whole, droppedNow, gc, rate, null);
        progress.accept(String.format("  %-18s %-5s c=%-4d round %d: %,7.0f answers/s, p50 %6.2f ms, p99 %7.2f ms, "
                        + "front+back %.3f ms CPU/answer (+%.3f JIT)%s", subject.name(), path.transport(), clients, round,
                sample.throughput(), sample.p50Ms(), sample.p99Ms(), sample.servicesMsPerAnswer(), sample.servicesJitMsPerAnswer(),
                load.errors() + load.timeouts() > 0 ? ", " + load.errors() + " errors, " + load.timeouts() + " timeouts" : ""));
        return sample;
    }

    /** Streamed answers ({@code POST /api/ask/stream}) on a subject's path: time to first chunk and to the whole answer. */
    public StreamSample stream(Subject subject, AskPath path, int round, int clients, Duration warmUp, Duration window,
            boolean traceCheck) throws Exception {
        var call = new StreamAskCall(http, subject.url(), path, TEXT, CLIENT_TIMEOUT);
        call.prime();
        sinkOf(subject).forgetTraces();
        LoadResult load = new LoadGenerator(clients, warmUp, window).runStreamed(call, line -> { }, opens -> { });
        Integer traces = traceCheck ? call.traceIds().size() : null;
        Integer whole = traceCheck ? wholeTraces(subject, path, call.traceIds()) : null;
        var sample = new StreamSample(subject.name(), path.transport(), round, clients, load.seconds(), load.ok(), load.errors(),
                load.timeouts(), call.mismatches(), load.throughput(), load.firstChunkMs(50), load.firstChunkMs(99),
                load.latencyMs(50), load.latencyMs(99), load.chunks(), traces, whole);
        progress.accept(String.format("  %-18s %-5s streamed, c=%-4d round %d: first chunk p50 %6.1f ms, p99 %7.1f ms; "
                        + "answer p50 %6.1f ms, p99 %7.1f ms; %.1f chunks/answer, %,.0f answers/s%s", subject.name(),
                path.transport(), clients, round, sample.firstChunkP50Ms(), sample.firstChunkP99Ms(), sample.answerP50Ms(),
                sample.answerP99Ms(), sample.chunksPerAnswer(), sample.throughput(),
                load.errors() + load.timeouts() > 0 ? String.format(", %d errors (%d chunks not adding up), %d timeouts; first: %s",
                        load.errors(), call.mismatches(), load.timeouts(), call.firstProblem()) : ""));
        return sample;
    }

    /**
     * Streamed answers over Kafka from a stack whose gateway coalesces chunk records in {@code coalesce}: the
     * records it wrote to its reply topic in the window (from the broker's end offsets), the services' CPU
     * in the window, both per answer ended in the window, and the time to first chunk.
     */
    public CoalesceSample coalesced(ServiceStack stack, String coalesce, int round, int clients, Duration warmUp,
            Duration window, ReplyRecords replies) throws Exception {
        var call = new StreamAskCall(http, stack.url(), AskPath.KAFKA, TEXT, CLIENT_TIMEOUT);
        call.prime();
        var open = new AtomicBoolean();
        var ended = new AtomicLong();
        var records = new AtomicLong();
        var cpuAtStart = new HashMap<String, ProcessUsage.Cpu>();
        var used = new HashMap<String, ProcessUsage.Cpu>();
        var services = Map.of(Sample.FRONT, stack.front(), Sample.BACK, stack.back());
        LoadResult load = new LoadGenerator(clients, warmUp, window).runStreamed(() -> {
            var answer = call.call();
            if (answer.outcome() == Outcome.OK && open.get()) {
                ended.incrementAndGet();
            }
            return answer;
        }, line -> { }, opens -> {
            if (opens) {
                records.set(replies.written(stack.repliesTopic()));
                services.forEach((role, process) -> cpuAtStart.put(role, ProcessUsage.cpu(process.pid())));
                open.set(true);
            } else {
                open.set(false);
                services.forEach((role, process) -> used.put(role, ProcessUsage.cpu(process.pid()).minus(cpuAtStart.get(role))));
                records.set(replies.written(stack.repliesTopic()) - records.get());
            }
        });
        var front = used.get(Sample.FRONT);
        var back = used.get(Sample.BACK);
        var sample = new CoalesceSample(stack.name(), coalesce, round, clients, load.seconds(), ended.get(), load.errors(),
                load.timeouts(), call.mismatches(), load.firstChunkMs(50), load.firstChunkMs(99), load.latencyMs(50),
                load.ok() == 0 ? Double.NaN : (double) load.chunks() / load.ok(), records.get(), front.work(), back.work(),
                front.jit() + back.jit());
        progress.accept(String.format("  %-18s kafka streamed, coalesce %s, c=%d round %d: %.1f records/answer, %.2f ms CPU/answer"
                        + " (+%.0f %% JIT), first chunk p50 %.1f ms, answer p50 %.0f ms, %.1f answers/s%s", stack.name(), coalesce,
                clients, round, sample.recordsPerAnswer(), sample.servicesMsPerAnswer(), sample.jitShare() * 100,
                sample.firstChunkP50Ms(), sample.answerP50Ms(), sample.throughput(),
                load.errors() + load.timeouts() > 0 ? String.format(", %d errors, %d timeouts; first: %s", load.errors(),
                        load.timeouts(), call.firstProblem()) : ""));
        return sample;
    }

    /** Waits for the sink to go quiet, then counts the traces that reached it whole. */
    private int wholeTraces(Subject subject, AskPath path, Set<String> traceIds) {
        SpanSink sink = sinkOf(subject);
        awaitQuietSink(sink);
        traceIds.stream().filter(id -> !subject.wholeTrace(path, sink, id)).findFirst().ifPresent(id ->
                progress.accept("  " + subject.name() + " " + path.transport() + ": trace " + id + " is not whole: "
                        + sink.spanNames(id) + " from " + sink.services(id)));
        return (int) traceIds.stream().filter(id -> subject.wholeTrace(path, sink, id)).count();
    }

    /** One extra window with JFR in both services: the hottest methods of each, for a target the run missed. */
    public String profile(Subject subject, AskPath path, int clients, Duration window, Path folder) throws Exception {
        AskCall call = ask(subject, path);
        String recording = subject.name().replaceAll("[^A-Za-z0-9]", "_") + "-" + path.transport();
        var services = List.of(subject.front(), subject.back());
        new LoadGenerator(clients, Duration.ofSeconds(1), window).run(call, line -> { }, opens -> services.forEach(process -> {
            if (opens) {
                Flight.start(process.pid(), recording);
            } else {
                Flight.stop(process.pid(), recording, folder.resolve(recording + "-" + process.name() + ".jfr"));
            }
        }));
        var text = new StringBuilder();
        for (Measured process : services) {
            Path file = folder.resolve(recording + "-" + process.name() + ".jfr");
            text.append("== ").append(process.name()).append(", ").append(path.transport()).append('\n')
                    .append(Flight.hotMethods(file, 15)).append('\n');
        }
        return text.toString();
    }

    /** Load that is not measured, e.g. before a stack's first sample. */
    public void load(Call call, int clients, Duration duration) throws InterruptedException {
        new LoadGenerator(clients, Duration.ZERO, duration).run(call, line -> { }, opens -> { });
    }

    /** The sink that sees the subject's spans (each of a pair measured side by side has its own), else the run's. */
    private SpanSink sinkOf(Subject subject) {
        return subject.spanSink().orElse(sink);
    }

    private Map<String, Measured> processes(Subject subject, Measured model) {
        var processes = new LinkedHashMap<String, Measured>();
        processes.put(Sample.FRONT, subject.front());
        processes.put(Sample.BACK, subject.back());
        processes.put(Sample.MODEL, model);
        processes.putAll(shared);
        processes.put(Sample.BENCH, Measured.self());
        return processes;
    }

    /** Waits until no span has arrived for half a second: the services' batch processors (200 ms) have flushed. */
    private static void awaitQuietSink(SpanSink sink) {
        var last = new AtomicLong(-1);
        var since = new AtomicLong(System.nanoTime());
        Deadline.await("the services' spans", Duration.ofSeconds(60), () -> {
            long now = sink.spans();
            if (now != last.getAndSet(now)) {
                since.set(System.nanoTime());
            }
            return System.nanoTime() - since.get() > 500_000_000L;
        });
    }
}
