package io.ctxprop.bench;

import io.ctxprop.bench.carriers.CarrierRun;
import io.ctxprop.bench.carriers.CarrierRun.HopCost;
import io.ctxprop.bench.load.Call;
import io.ctxprop.bench.process.LocalBroker;
import io.ctxprop.bench.raw.RawKafka;
import io.ctxprop.bench.raw.RawStack;
import io.ctxprop.bench.report.BenchReport;
import io.ctxprop.bench.report.Machine;
import io.ctxprop.bench.report.MarkdownReport;
import io.ctxprop.bench.report.ReportFiles;
import io.ctxprop.bench.report.ScenarioResult;
import io.ctxprop.bench.report.Targets;
import io.ctxprop.bench.stack.AskCall;
import io.ctxprop.bench.stack.AskPath;
import io.ctxprop.bench.stack.ServiceStack;
import io.ctxprop.bench.stack.SpanSink;
import io.ctxprop.bench.stack.Tracing;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The benchmark harness: starts a broker, the bare kafka-clients baseline and the two services as
 * processes, drives each scenario with a closed-loop load, and writes results.json, results.md and
 * latency.svg. Run it with {@code infra/bench/bench.sh} (see {@link BenchOptions#USAGE}).
 * <p>
 * Order: the baseline first, then, per path, tracing on and tracing off back to back (both stacks up,
 * on topics of their own), so each pair is measured as close in time as it can be; then the slow
 * model; then the carriers, on a quiet machine.
 */
public final class Bench {

    /** The prompt every scenario sends; the raw baseline sends the same JSON the application does. */
    static final String TEXT = "How does the trace context cross a Kafka hop?";
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);
    static final Duration SLOW_MODEL = Duration.ofSeconds(1);
    static final List<AskPath> SLOW_PATHS = List.of(AskPath.KAFKA, AskPath.HTTP);

    private final BenchOptions options;
    private final Consumer<String> progress;
    private final HttpClient http = AskCall.client();

    Bench(BenchOptions options, Consumer<String> progress) {
        this.options = options;
        this.progress = progress;
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help")) {
            System.out.print(BenchOptions.USAGE);
            return;
        }
        Path root = Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
        Path services = Path.of(System.getProperty("bench.services", root.resolve("infra/bench/target/services").toString()));
        var options = BenchOptions.parse(args, root, services);
        long started = System.nanoTime();
        BenchReport report = new Bench(options, line -> System.out.printf("[%4d s] %s%n",
                (System.nanoTime() - started) / 1_000_000_000L, line)).run();
        System.out.println();
        System.out.println(MarkdownReport.throughputTable(report));
        System.out.println(MarkdownReport.targetTable(report));
        System.out.println("Written: " + options.out().resolve("results.md") + ", results.json, latency.svg");
        System.exit(0);
    }

    BenchReport run() throws Exception {
        var started = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS);
        long start = System.nanoTime();
        Path work = Files.createTempDirectory("ctxprop-bench");
        Path logs = Files.createDirectories(options.out().resolve("logs"));
        var scenarios = new ArrayList<ScenarioResult>();
        progress.accept("Benchmark (" + options.command() + "), results in " + options.out());
        ScenarioRunner runner;
        try (var broker = LocalBroker.start(options.projectRoot(), work, logs);
                var sink = new SpanSink()) {
            runner = new ScenarioRunner(options, sink, progress);
            progress.accept("broker on " + broker.bootstrapServers());
            // Starting the services while the baseline runs would skew it: they start first, all at once.
            var stacks = Stacks.start(options, broker.bootstrapServers(), sink, logs);
            try {
                if (options.runs("raw")) {
                    scenarios.add(raw(runner, broker, work, logs));
                }
                sideBySide(runner, broker, stacks, scenarios);
                stacks.closeSideBySide();
                slowModel(runner, broker, stacks.slow(), scenarios);
            } finally {
                stacks.close();
            }
        }
        List<HopCost> carriers = options.runs("carriers") ? carriers() : List.of();
        var targets = Targets.judge(scenarios, carriers, runner::profile);
        double minutes = (System.nanoTime() - start) / 60e9;
        var report = new BenchReport(options.command(), started.toString(), minutes, Machine.describe(), scenarios,
                carriers, targets);
        ReportFiles.write(report, options.out());
        return report;
    }

    private ScenarioResult raw(ScenarioRunner runner, LocalBroker broker, Path work, Path logs) throws Exception {
        RawKafka.createTopics(broker.bootstrapServers());
        try (var raw = RawStack.start(broker.bootstrapServers(), Duration.ZERO, options.serviceJvm(), work, logs)) {
            var call = new AskCall(http, raw.frontUrl(), AskPath.KAFKA, TEXT, CLIENT_TIMEOUT);
            call.prime();
            return runner.raw(options.clients(), call, raw.processes(), raw.services(), broker);
        }
    }

    private void sideBySide(ScenarioRunner runner, LocalBroker broker, Stacks stacks, List<ScenarioResult> scenarios)
            throws Exception {
        for (ServiceStack stack : Arrays.asList(stacks.traced(), stacks.untraced())) {
            if (stack != null) {
                runner.warm(stack.name() + " stack", options.clients(), mixed(stack), options.jitWarmUp());
            }
        }
        for (AskPath path : AskPath.values()) {
            if (stacks.traced() != null && options.runs(path.transport() + "-on")) {
                scenarios.add(runner.ask(path.transport() + "-on", Tracing.ON, options.clients(), options.warmUp(),
                        options.window(), ask(stacks.traced(), path), stacks.traced(), broker));
            }
            if (stacks.untraced() != null && options.runs(path.transport() + "-off")) {
                scenarios.add(runner.ask(path.transport() + "-off", Tracing.OFF, options.clients(), options.warmUp(),
                        options.window(), ask(stacks.untraced(), path), stacks.untraced(), broker));
            }
        }
    }

    /** The model takes a second; 1,000 clients: the bound is 1,000 requests/s. */
    private void slowModel(ScenarioRunner runner, LocalBroker broker, ServiceStack slow, List<ScenarioResult> scenarios)
            throws Exception {
        if (slow == null) {
            return;
        }
        progress.accept("slow-model stack up");
        runner.warm(slow.name() + " stack", options.slowClients(), mixed(slow), options.jitWarmUp());
        for (AskPath path : SLOW_PATHS) {
            if (options.runs("slow-" + path.transport())) {
                scenarios.add(runner.ask("slow-" + path.transport(), Tracing.ON, options.slowClients(),
                        options.slowWarmUp(), options.slowWindow(), ask(slow, path), slow, broker));
            }
        }
    }

    private AskCall ask(ServiceStack stack, AskPath path) {
        return new AskCall(http, stack.applicationUrl(), path, TEXT, CLIENT_TIMEOUT);
    }

    /** Every path in turn, for the JIT warm-up of a stack. */
    private Call mixed(ServiceStack stack) {
        var calls = Arrays.stream(AskPath.values()).map(path -> ask(stack, path)).toList();
        var next = new AtomicLong();
        return () -> calls.get((int) (next.getAndIncrement() % calls.size())).call();
    }

    private List<HopCost> carriers() throws Exception {
        progress.accept("carriers: JMH, inject + extract per hop");
        var costs = switch (options.mode()) {
            case SMOKE -> CarrierRun.run(0, 1, TimeValue.milliseconds(200));
            case QUICK -> CarrierRun.run(0, 1, TimeValue.seconds(1));
            case FULL -> CarrierRun.run(1, 5, TimeValue.seconds(2));
        };
        costs.forEach(cost -> progress.accept(String.format("  %s: %.0f ns/op", cost.carrier(), cost.nanosPerOp())));
        return costs;
    }
}
