package io.ctxprop.bench;

import io.ctxprop.bench.carriers.CarrierRun;
import io.ctxprop.bench.carriers.CarrierRun.HopCost;
import io.ctxprop.bench.process.JavaProcess;
import io.ctxprop.bench.process.LocalBroker;
import io.ctxprop.bench.raw.RawKafka;
import io.ctxprop.bench.raw.RawRequester;
import io.ctxprop.bench.raw.RawResponder;
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
import java.util.List;
import java.util.function.Consumer;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The benchmark harness: starts a broker, the bare kafka-clients baseline and the two services as
 * processes, drives each scenario with a closed-loop load, and writes results.json, results.md and
 * latency.svg. Run it with {@code infra/bench/bench.sh} (see {@link BenchOptions#USAGE}).
 */
public final class Bench {

    /** The prompt every scenario sends; the raw baseline sends the same JSON the application does. */
    static final String TEXT = "How does the trace context cross a Kafka hop?";
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SLOW_MODEL = Duration.ofSeconds(1);

    private final BenchOptions options;
    private final Consumer<String> progress;

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
        BenchReport report = new Bench(options, line -> System.out.println(line)).run();
        System.out.println();
        System.out.println(MarkdownReport.throughputTable(report));
        System.out.println(MarkdownReport.targetTable(report));
        System.out.println("Written: " + options.out().resolve("results.md") + ", results.json, latency.svg");
    }

    BenchReport run() throws Exception {
        var started = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS);
        long start = System.nanoTime();
        Path work = Files.createTempDirectory("ctxprop-bench");
        Path logs = Files.createDirectories(options.out().resolve("logs"));
        var scenarios = new ArrayList<ScenarioResult>();
        ScenarioRunner runner;
        progress.accept("Benchmark (" + options.command() + "), results in " + options.out());
        try (var broker = LocalBroker.start(options.projectRoot(), work, logs);
                var sink = new SpanSink()) {
            runner = new ScenarioRunner(options, sink, progress);
            progress.accept("broker on " + broker.bootstrapServers());
            scenarios.add(raw(runner, broker, work, logs));
            sideBySide(runner, broker, sink, logs, scenarios);
            if (options.mode() != BenchOptions.Mode.SMOKE) {
                slowModel(runner, broker, sink, logs, scenarios);
            }
        }
        List<HopCost> carriers = carriers();
        var targets = Targets.judge(scenarios, carriers, runner::profile);
        double minutes = (System.nanoTime() - start) / 60e9;
        var report = new BenchReport(options.command(), started.toString(), minutes, Machine.describe(), scenarios,
                carriers, targets);
        ReportFiles.write(report, options.out());
        return report;
    }

    private ScenarioResult raw(ScenarioRunner runner, LocalBroker broker, Path work, Path logs) throws Exception {
        RawKafka.createTopics(broker.bootstrapServers());
        Path ready = work.resolve("raw-responder.ready");
        try (var responder = JavaProcess.main("raw-responder", RawResponder.class,
                List.of(broker.bootstrapServers(), ready.toString()), logs, ready);
                var requester = new RawRequester(broker.bootstrapServers(), requestJson(), CLIENT_TIMEOUT)) {
            return runner.raw(options.clients(), requester, responder, broker);
        }
    }

    /**
     * Tracing on and off, each path measured on one stack right after the other, with both stacks up
     * (on topics of their own), so the two figures of a pair are as close in time as they can be.
     */
    private void sideBySide(ScenarioRunner runner, LocalBroker broker, SpanSink sink, Path logs,
            List<ScenarioResult> scenarios) throws Exception {
        boolean smoke = options.mode() == BenchOptions.Mode.SMOKE;
        HttpClient http = AskCall.client();
        try (var traced = ServiceStack.start("on", Tracing.ON, Duration.ZERO, broker.bootstrapServers(), sink,
                options.services(), logs);
                var untraced = smoke ? null : ServiceStack.start("off", Tracing.OFF, Duration.ZERO,
                        broker.bootstrapServers(), sink, options.services(), logs)) {
            for (AskPath path : AskPath.values()) {
                scenarios.add(runner.ask(path.transport() + "-on", Tracing.ON, options.clients(), options.warmUp(),
                        new AskCall(http, traced.applicationUrl(), path, TEXT, CLIENT_TIMEOUT), traced, broker));
                if (untraced != null) {
                    scenarios.add(runner.ask(path.transport() + "-off", Tracing.OFF, options.clients(), options.warmUp(),
                            new AskCall(http, untraced.applicationUrl(), path, TEXT, CLIENT_TIMEOUT), untraced, broker));
                }
            }
        }
    }

    /** The model takes a second; 1,000 clients: the bound is 1,000 requests/s. */
    private void slowModel(ScenarioRunner runner, LocalBroker broker, SpanSink sink, Path logs,
            List<ScenarioResult> scenarios) throws Exception {
        HttpClient http = AskCall.client();
        try (var slow = ServiceStack.start("slow", Tracing.ON, SLOW_MODEL, broker.bootstrapServers(), sink,
                options.services(), logs)) {
            for (AskPath path : List.of(AskPath.KAFKA, AskPath.HTTP)) {
                scenarios.add(runner.ask("slow-" + path.transport(), Tracing.ON, options.slowClients(), options.slowWarmUp(),
                        new AskCall(http, slow.applicationUrl(), path, TEXT, CLIENT_TIMEOUT), slow, broker));
            }
        }
    }

    private List<HopCost> carriers() throws Exception {
        progress.accept("carriers: JMH, inject + extract per hop");
        var costs = switch (options.mode()) {
            case SMOKE -> CarrierRun.run(0, 1, TimeValue.milliseconds(200));
            case QUICK -> CarrierRun.run(1, 2, TimeValue.seconds(1));
            case FULL -> CarrierRun.run(1, 5, TimeValue.seconds(2));
        };
        costs.forEach(cost -> progress.accept(String.format("  %s: %.0f ns/op", cost.carrier(), cost.nanosPerOp())));
        return costs;
    }

    static String requestJson() {
        return "{\"text\":\"" + TEXT + "\"}";
    }
}
