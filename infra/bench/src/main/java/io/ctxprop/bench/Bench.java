package io.ctxprop.bench;

import io.ctxprop.bench.carriers.CarrierRun;
import io.ctxprop.bench.carriers.CarrierRun.HopCost;
import io.ctxprop.bench.load.Call;
import io.ctxprop.bench.measure.Sample;
import io.ctxprop.bench.measure.Sampler;
import io.ctxprop.bench.measure.StreamSample;
import io.ctxprop.bench.measure.StreamSummary;
import io.ctxprop.bench.measure.Summary;
import io.ctxprop.bench.measure.WarmUp;
import io.ctxprop.bench.process.LocalBroker;
import io.ctxprop.bench.report.BenchReport;
import io.ctxprop.bench.report.Machine;
import io.ctxprop.bench.report.MarkdownReport;
import io.ctxprop.bench.report.ReportFiles;
import io.ctxprop.bench.report.SecuredKafkaSection;
import io.ctxprop.bench.report.Targets;
import io.ctxprop.bench.stack.AskPath;
import io.ctxprop.bench.stack.ModelServer;
import io.ctxprop.bench.stack.RawStack;
import io.ctxprop.bench.stack.ServiceStack;
import io.ctxprop.bench.stack.SpanSink;
import io.ctxprop.bench.stack.Subject;
import io.ctxprop.bench.stack.TracingSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The benchmark harness: starts a broker, the model stand-ins, the raw baseline and a stack of both
 * services per tracing setup as processes, brings each to its steady state, and measures them in
 * rounds that alternate the setups; then latency at concurrency 1, streamed answers (time to first
 * chunk) and the slow model. The carriers' microbenchmark runs first, before anything else is up.
 * Writes results.json and results.md. Run it with {@code infra/bench/bench.sh} (see {@link BenchOptions#USAGE}).
 */
public final class Bench {

    static final Duration SLOW_MODEL = Duration.ofSeconds(1);
    /** A streamed answer's pace, like a fast real model's. */
    static final Duration TOKEN_DELAY = Duration.ofMillis(20);
    private static final Duration WARM_UP_SLICE = Duration.ofSeconds(5);
    private static final List<AskPath> PATHS = List.of(AskPath.HTTP, AskPath.KAFKA);

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
        long started = System.nanoTime();
        BenchReport report = new Bench(options, line -> System.out.printf("[%4d s] %s%n",
                (System.nanoTime() - started) / 1_000_000_000L, line)).run();
        System.out.println();
        System.out.println(MarkdownReport.targetTable(report));
        System.out.println(MarkdownReport.cpuTable(report, report.clients()));
        System.out.print(SecuredKafkaSection.render(report.samples(), report.clients()));
        if (!report.streaming().isEmpty()) {
            System.out.println(MarkdownReport.streamingTable(report));
        }
        System.out.println("Written: " + options.out().resolve("results.md") + " and results.json");
        System.exit(0);
    }

    BenchReport run() throws Exception {
        var started = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS);
        long start = System.nanoTime();
        Path work = Files.createTempDirectory("ctxprop-bench");
        Path logs = Files.createDirectories(options.out().resolve("logs"));
        Path jfr = Files.createDirectories(options.out().resolve("jfr"));
        progress.accept("Benchmark (" + options.command() + "), results in " + options.out());
        // First, on a quiet machine: nothing else of the run is up yet.
        List<HopCost> carriers = options.runs("carriers") ? carriers() : List.of();
        var samples = new ArrayList<Sample>();
        var streamSamples = new ArrayList<StreamSample>();
        var warmUps = new ArrayList<WarmUp.Curve>();
        var profiles = new HashMap<String, String>();
        var setups = new LinkedHashMap<String, String>();
        try (var broker = LocalBroker.start(options.projectRoot(), work, logs);
                var sink = new SpanSink();
                var model = ModelServer.start("model", Duration.ZERO, TOKEN_DELAY, work, logs);
                var subjects = Subjects.start(options, broker.bootstrapServers(), model, sink, work, logs, progress)) {
            progress.accept("broker on " + broker.bootstrapServers() + "; up: "
                    + subjects.measured().stream().map(Subject::name).toList());
            subjects.measured().forEach(subject -> setups.put(subject.name(), Subjects.describe(subject)));
            var sampler = new Sampler(sink, Map.of(Sample.BROKER, broker), progress);
            for (Subject subject : subjects.measured()) {
                if (!options.jitWarmUp().isZero()) {
                    var slice = options.jitWarmUp().compareTo(WARM_UP_SLICE.multipliedBy(3)) < 0 ? options.jitWarmUp() : WARM_UP_SLICE;
                    warmUps.add(WarmUp.run(subject, mixed(sampler, subject), options.clients(), slice, options.jitWarmUp(),
                            progress));
                }
            }
            rounds(sampler, subjects.measured(), model, options.clients(), options.rounds(), options.warmUp(), options.window(),
                    samples);
            var latencySubjects = subjects.measured().stream()
                    .filter(s -> List.of(Targets.RAW, Targets.OFF, Targets.TRACED).contains(s.name())).toList();
            rounds(sampler, latencySubjects, model, 1, options.latencyRounds(), Duration.ofSeconds(1), options.latencyWindow(),
                    samples);
            if (options.runs("streaming")) {
                streaming(sampler, subjects.measured().stream()
                        .filter(s -> List.of(Targets.OFF, Targets.TRACED).contains(s.name())).toList(), streamSamples);
            }
            if (options.profile()) {
                for (Subject subject : subjects.measured().stream().filter(s -> s.name().equals(Targets.TRACED)).toList()) {
                    for (AskPath path : PATHS) {
                        progress.accept("profiling " + subject.name() + " over " + path.transport() + " (JFR)");
                        profiles.put(subject.name() + "|" + path.transport(),
                                sampler.profile(subject, path, options.clients(), options.window(), jfr));
                    }
                }
            }
            subjects.closeMeasured();
            if (options.only().contains(SecuredKafkaRun.SUBJECT)) {
                setups.putAll(SecuredKafkaRun.setups());
                new SecuredKafkaRun(options, progress).run(broker, model, sink, work, logs, samples, warmUps);
            }
            ServiceStack slow = subjects.slow();
            if (slow != null) {
                setups.put(slow.name(), Subjects.describe(slow));
                slowModel(sampler, slow, subjects.slowModel(), samples, profiles, jfr);
            }
        }
        var summaries = Summary.of(samples);
        double minutes = (System.nanoTime() - start) / 60e9;
        var targets = Targets.judge(summaries, options.clients(), options.slowClients(), carriers, minutes,
                options.mode().minutesAllowed, options.mode().flag().isEmpty() ? "(full)" : options.mode().flag(),
                (subject, path) -> profiles.getOrDefault(subject + "|" + path,
                        options.profile() ? null : "(not profiled: run with --profile)"));
        var report = new BenchReport(options.command(), started.toString(), minutes, Machine.describe(),
                String.join(" ", options.serviceJvm()), options.clients(), options.slowClients(), setups, warmUps, samples,
                summaries, carriers, targets, options.stream().clients(), TOKEN_DELAY.toMillis(), streamSamples,
                StreamSummary.of(streamSamples));
        ReportFiles.write(report, options.out());
        return report;
    }

    /**
     * Every subject on every path, round after round; the order of the subjects turns round each round
     * (off, on ... then ... on, off), so a drift of the machine does not fall on one setup.
     */
    private void rounds(Sampler sampler, List<Subject> subjects, ModelServer model, int clients, int rounds, Duration warmUp,
            Duration window, List<Sample> samples) throws Exception {
        if (subjects.isEmpty()) {
            return;
        }
        progress.accept(String.format("%d round(s) of %d s per setup and path, %d client(s)", rounds, window.toSeconds(),
                clients));
        for (AskPath path : PATHS) {
            for (int round = 1; round <= rounds; round++) {
                List<Subject> order = round % 2 == 1 ? subjects : subjects.reversed();
                for (Subject subject : order) {
                    boolean traceCheck = subject instanceof ServiceStack stack && stack.setup().sinkSeesSpans();
                    samples.add(sampler.sample(subject, model.process(), path, round, clients, warmUp, window, traceCheck));
                }
            }
        }
    }

    /**
     * Streamed answers through the application, the setups alternating round by round as in {@link #rounds}:
     * the time to first chunk is what a user of a streaming interface feels.
     */
    private void streaming(Sampler sampler, List<Subject> subjects, List<StreamSample> samples) throws Exception {
        if (subjects.isEmpty()) {
            return;
        }
        var stream = options.stream();
        progress.accept(String.format("streamed answers: %d round(s) of %d s per setup and transport, %d clients",
                stream.rounds(), stream.window().toSeconds(), stream.clients()));
        for (AskPath path : PATHS) {
            for (int round = 1; round <= stream.rounds(); round++) {
                for (Subject subject : round % 2 == 1 ? subjects : subjects.reversed()) {
                    boolean traceCheck = subject instanceof ServiceStack stack && stack.setup().sinkSeesSpans();
                    samples.add(sampler.stream(subject, path, round, stream.clients(), stream.warmUp(), stream.window(),
                            traceCheck));
                }
            }
        }
    }

    /** The model takes a second; 1,000 clients: the bound is 1,000 answers/s. */
    private void slowModel(Sampler sampler, ServiceStack slow, ModelServer slowModel, List<Sample> samples,
            Map<String, String> profiles, Path jfr) throws Exception {
        progress.accept(String.format("slow model: %,d clients, %d s of load first", options.slowClients(),
                options.slowWarmUp().toSeconds() * 2));
        sampler.load(mixed(sampler, slow), options.slowClients(), options.slowWarmUp().multipliedBy(2));
        for (AskPath path : List.of(AskPath.KAFKA, AskPath.HTTP)) {
            samples.add(sampler.sample(slow, slowModel.process(), path, 1, options.slowClients(), options.slowWarmUp(),
                    options.slowWindow(), true));
            if (options.profile() && samples.getLast().throughput() < 900) {
                progress.accept("profiling the slow model over " + path.transport() + " (JFR)");
                profiles.put(slow.name() + "|" + path.transport(),
                        sampler.profile(slow, path, options.slowClients(), options.slowWindow(), jfr));
            }
        }
    }

    /** HTTP and Kafka in turn, for a warm-up that compiles both paths. */
    private static Call mixed(Sampler sampler, Subject subject) {
        var calls = PATHS.stream().map(path -> sampler.ask(subject, path)).toList();
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

    /** The subjects of a run, started a few at a time (a dozen JVMs starting at once on 2 cores miss their deadline). */
    record Subjects(List<Subject> measured, ServiceStack slow, ModelServer slowModel) implements AutoCloseable {

        static Subjects start(BenchOptions options, String bootstrapServers, ModelServer model, SpanSink sink, Path work,
                Path logs, Consumer<String> progress) throws Exception {
            var jvm = options.serviceJvm();
            var measured = new ArrayList<Subject>();
            ServiceStack slow = null;
            ModelServer slowModel = null;
            try (var starter = Executors.newFixedThreadPool(3)) {
                var starting = new ArrayList<CompletableFuture<? extends Subject>>();
                if (options.runs("raw")) {
                    starting.add(CompletableFuture.supplyAsync(() -> unchecked(() ->
                            RawStack.start(model, bootstrapServers, jvm, work, logs)), starter));
                }
                for (TracingSetup setup : TracingSetup.values()) {
                    if (options.runs(setup)) {
                        var plan = new ServiceStack.Plan(setup.label(), setup, model, bootstrapServers, sink, options.services(),
                                jvm, logs, false);
                        starting.add(CompletableFuture.supplyAsync(() -> unchecked(() -> ServiceStack.start(plan)), starter));
                    }
                }
                CompletableFuture<ServiceStack> slowStarting = null;
                if (options.runs("slow")) {
                    slowModel = ModelServer.start("slow-model", SLOW_MODEL, TOKEN_DELAY, work, logs);
                    var plan = new ServiceStack.Plan(Targets.SLOW, TracingSetup.INSPECTOR_PHOENIX, slowModel, bootstrapServers,
                            sink, options.services(), jvm, logs, true);
                    slowStarting = CompletableFuture.supplyAsync(() -> unchecked(() -> ServiceStack.start(plan)), starter);
                }
                var subjects = new Subjects(measured, null, slowModel);
                try {
                    for (var future : starting) {
                        measured.add(future.join());
                    }
                    slow = slowStarting == null ? null : slowStarting.join();
                } catch (RuntimeException failed) {
                    starting.forEach(future -> future.thenAccept(Subjects::closeQuietly));
                    if (slowStarting != null) {
                        slowStarting.thenAccept(Subjects::closeQuietly);
                    }
                    subjects.close();
                    throw failed;
                }
                progress.accept("every subject is up");
                return new Subjects(measured, slow, slowModel);
            }
        }

        static String describe(Subject subject) {
            if (subject instanceof ServiceStack stack) {
                return subject.name().equals(Targets.SLOW)
                        ? "the model answers after 1 s; " + stack.setup().description() + ", Prometheus metrics on (dropped-span counters)"
                        : stack.setup().description();
            }
            return "the bridge's shape with the JDK and kafka-clients only: a front HTTP server, the Kafka round trip or "
                    + "an HTTP call to a bare gateway, the same model call with the JDK's HttpClient; no Spring, no tracing";
        }

        void closeMeasured() {
            measured.forEach(Subjects::closeQuietly);
        }

        @Override
        public void close() {
            closeMeasured();
            closeQuietly(slow);
            if (slowModel != null) {
                try {
                    slowModel.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private static void closeQuietly(Subject subject) {
            try {
                if (subject instanceof AutoCloseable closeable) {
                    closeable.close();
                }
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private interface Starting<T> {
            T start() throws Exception;
        }

        private static <T> T unchecked(Starting<T> starting) {
            try {
                return starting.start();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
