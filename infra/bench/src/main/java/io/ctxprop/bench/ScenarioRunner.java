package io.ctxprop.bench;

import io.ctxprop.bench.load.Call;
import io.ctxprop.bench.load.LoadGenerator;
import io.ctxprop.bench.load.LoadResult;
import io.ctxprop.bench.process.Deadline;
import io.ctxprop.bench.process.Flight;
import io.ctxprop.bench.process.Measured;
import io.ctxprop.bench.process.ProcessUsage;
import io.ctxprop.bench.report.ProcessFigures;
import io.ctxprop.bench.report.ScenarioResult;
import io.ctxprop.bench.report.SpanTiming;
import io.ctxprop.bench.stack.AskPath;
import io.ctxprop.bench.stack.AskCall;
import io.ctxprop.bench.stack.ServiceStack;
import io.ctxprop.bench.stack.SpanSink;
import io.ctxprop.bench.stack.Tracing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Runs one scenario's load and gathers around it what the report needs: CPU and peak memory of every
 * process over the measurement window, JFR recordings when profiling, spans that reached the sink or
 * were dropped, and whether each trace arrived whole.
 */
final class ScenarioRunner {

    private final BenchOptions options;
    private final SpanSink sink;
    private final Consumer<String> progress;
    private final Map<String, List<Path>> recordings = new HashMap<>();

    ScenarioRunner(BenchOptions options, SpanSink sink, Consumer<String> progress) {
        this.options = options;
        this.sink = sink;
        this.progress = progress;
    }

    /** A scenario through {@code POST /api/ask} on a stack. */
    ScenarioResult ask(String name, Tracing tracing, int clients, Duration warmUp, Duration window, AskCall call,
            ServiceStack stack, Measured broker) throws Exception {
        call.prime();
        Long droppedBefore = stack.spansDropped();
        long spansBefore = sink.spans();
        sink.forgetTraces();
        var processes = new ArrayList<Measured>(stack.processes());
        processes.add(broker);
        LoadRun run = load(name, clients, warmUp, window, call, processes, stack.services());
        if (tracing == Tracing.OFF) {
            return result(name, call.path().transport(), tracing, run, null, null, null, null, List.of());
        }
        awaitQuietSink();
        int complete = (int) call.traceIds().stream().filter(id -> stack.wholeTrace(call.path(), sink.spanNames(id))).count();
        call.traceIds().stream().filter(id -> !stack.wholeTrace(call.path(), sink.spanNames(id))).findFirst().ifPresent(id ->
                progress.accept("  " + name + ": trace " + id + " is not whole, it has " + sink.spanNames(id)));
        return result(name, call.path().transport(), tracing, run, sink.spans() - spansBefore,
                stack.spansDropped() - droppedBefore, call.traceIds().size(), complete,
                sink.averageWaterfall(AskPath.ROOT_SPAN));
    }

    /** Load that is not measured: it brings fresh JVMs to their steady state first. */
    void warm(String what, int clients, Call call, Duration duration) throws InterruptedException {
        if (duration.isZero()) {
            return;
        }
        progress.accept(String.format("%s: %d s of load from %d clients before measuring, for the JIT", what,
                duration.toSeconds(), clients));
        new LoadGenerator(clients, duration, Duration.ZERO).run(call, line -> progress.accept("  " + what + ": " + line),
                windowOpens -> { });
    }

    /** The bare kafka-clients baseline; its warm-up is the JIT warm-up, its processes being fresh. */
    ScenarioResult raw(int clients, Call call, List<Measured> processes, List<Measured> services, Measured broker)
            throws Exception {
        Duration warmUp = options.jitWarmUp().compareTo(options.warmUp()) > 0 ? options.jitWarmUp() : options.warmUp();
        var measured = new ArrayList<Measured>(processes);
        measured.add(broker);
        LoadRun run = load("raw", clients, warmUp, options.window(), call, measured, services);
        return result("raw", "kafka-clients", Tracing.OFF, run, null, null, null, null, List.of());
    }

    /** The JFR hot methods of a scenario's profiled processes, for a target it missed. */
    String profile(String scenario) {
        var files = recordings.get(scenario);
        if (files == null) {
            return "(not profiled: run with --profile)";
        }
        var text = new StringBuilder();
        for (Path file : files) {
            text.append("== ").append(file.getFileName()).append('\n').append(Flight.hotMethods(file, 12)).append('\n');
        }
        return text.toString();
    }

    private record LoadRun(LoadResult load, List<ProcessFigures> processes) {
    }

    private LoadRun load(String name, int clients, Duration warmUp, Duration window, Call call, List<Measured> measured,
            List<Measured> profiled) throws Exception {
        var all = new ArrayList<>(measured);
        all.add(Measured.self());
        var cpuAtStart = new HashMap<String, Double>();
        var figures = new ArrayList<ProcessFigures>();
        Path jfr = Files.createDirectories(options.out().resolve("jfr"));
        progress.accept(String.format("%s: %d clients, %d s warm-up, %d s measured", name, clients, warmUp.toSeconds(),
                window.toSeconds()));
        LoadResult load = new LoadGenerator(clients, warmUp, window).run(call,
                line -> progress.accept("  " + name + ": " + line),
                windowOpens -> {
                    if (windowOpens) {
                        for (Measured process : all) {
                            ProcessUsage.resetPeak(process.pid());
                            cpuAtStart.put(process.name(), ProcessUsage.cpuSeconds(process.pid()));
                        }
                        if (options.profile()) {
                            profiled.forEach(process -> Flight.start(process.pid(), name));
                        }
                        return;
                    }
                    for (Measured process : all) {
                        figures.add(new ProcessFigures(process.name(),
                                ProcessUsage.cpuSeconds(process.pid()) - cpuAtStart.get(process.name()),
                                ProcessUsage.peakRssMib(process.pid())));
                    }
                    if (options.profile()) {
                        var files = new ArrayList<Path>();
                        for (Measured process : profiled) {
                            Path file = jfr.resolve(name + "-" + process.name() + ".jfr");
                            Flight.stop(process.pid(), name, file);
                            files.add(file);
                        }
                        recordings.put(name, files);
                    }
                });
        progress.accept(String.format("  %s: %,.0f requests/s, p50 %.2f ms, p99 %.2f ms, %d errors, %d timeouts", name,
                load.throughput(), load.latencyMs(50), load.latencyMs(99), load.errors(), load.timeouts()));
        return new LoadRun(load, figures);
    }

    /** Waits until no span has arrived for half a second: the services' batch processors (200 ms) have flushed. */
    private void awaitQuietSink() {
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

    private static ScenarioResult result(String name, String path, Tracing tracing, LoadRun run, Long exported,
            Long dropped, Integer traces, Integer complete, List<SpanTiming> waterfall) {
        LoadResult load = run.load();
        return new ScenarioResult(name, path, tracing.label(), load.clients(), load.seconds(), load.throughput(),
                load.latencyMs(50), load.latencyMs(90), load.latencyMs(99), load.maxMs(), load.ok(), load.errors(),
                load.timeouts(), run.processes(), exported, dropped, traces, complete, waterfall);
    }
}
