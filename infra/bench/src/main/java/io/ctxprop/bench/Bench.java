package io.ctxprop.bench;

import io.ctxprop.bench.carriers.CarrierRun;
import io.ctxprop.bench.compare.Pair;
import io.ctxprop.bench.compare.Pairing;
import io.ctxprop.bench.compare.Ratio;
import io.ctxprop.bench.carriers.CarrierRun.HopCost;
import io.ctxprop.bench.load.Call;
import io.ctxprop.bench.measure.CoalesceSample;
import io.ctxprop.bench.measure.Sample;
import io.ctxprop.bench.measure.Sampler;
import io.ctxprop.bench.measure.StreamSample;
import io.ctxprop.bench.measure.StreamSummary;
import io.ctxprop.bench.measure.Summary;
import io.ctxprop.bench.measure.WarmUp;
import io.ctxprop.bench.process.ChildProcesses;
import io.ctxprop.bench.process.LocalBroker;
import io.ctxprop.bench.report.BenchReport;
import io.ctxprop.bench.report.CoalesceSection;
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
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The benchmark harness: starts a broker and the model stand-in, then the setups two at a time, as the
 * {@link Pairing} of the run says: each fresh stack warmed until its JIT is done ({@link WarmUp}), the
 * pair measured in alternating rounds on both paths (and at concurrency 1, and streamed, where the pair
 * holds those setups), and a stack stopped before the next pair unless that pair measures it too; then
 * the slow-model stack alone, warmed on quick answers before its model takes a second.
 * The primary figures are {@link Ratio}s within a pair. The carriers' microbenchmark runs first, before
 * anything else is up. Writes results.json and results.md. Run it with {@code infra/bench/bench.sh}
 * (see {@link BenchOptions#USAGE}).
 */
public final class Bench {

    static final Duration SLOW_MODEL = Duration.ofSeconds(1);
    /** A streamed answer's pace, like a fast real model's. */
    static final Duration TOKEN_DELAY = Duration.ofMillis(20);
    private static final Duration SETTLE_SLICE = Duration.ofSeconds(3);
    private static final int SETTLE_SLICES = 3;
    private static final int SETTLE_AT_RATE_SLICES = 5;
    /** The slow model's stack under its 1,000 clients, after its warm-up on quick answers: long enough for a slice after the ramp. */
    private static final Duration SLOW_WARM_UP = Duration.ofSeconds(30);
    /** Rounds of the slow model's stack at 16 clients, the figure its cost at 1,000 clients is read against. */
    private static final int SLOW_REFERENCE_ROUNDS = 2;
    private static final List<AskPath> PATHS = List.of(AskPath.HTTP, AskPath.KAFKA);

    private final BenchOptions options;
    private final Consumer<String> progress;
    /** Rounds measured but not used: the JIT compiled in them (see {@link #rounds}). */
    private final List<Sample> setAside = new ArrayList<>();

    Bench(BenchOptions options, Consumer<String> progress) {
        this.options = options;
        this.progress = progress;
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help")) {
            System.out.print(BenchOptions.USAGE);
            return;
        }
        ChildProcesses.stopOnExit();
        Path root = Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
        Path services = Path.of(System.getProperty("bench.services", root.resolve("infra/bench/target/services").toString()));
        var options = BenchOptions.parse(args, root, services);
        if (options.compare() != null) {
            System.exit(RepeatCheck.run(options.compare(), options.out(), System.out, System.err));
        }
        long started = System.nanoTime();
        BenchReport report = new Bench(options, line -> System.out.printf("[%4d s] %s%n",
                (System.nanoTime() - started) / 1_000_000_000L, line)).run();
        System.out.println();
        System.out.println(MarkdownReport.targetTable(report));
        System.out.println(MarkdownReport.cpuTable(report, report.clients()));
        System.out.print(SecuredKafkaSection.render(report.samples(), report.clients()));
        System.out.print(CoalesceSection.render(report.coalescing()));
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
        var byPair = new ArrayList<List<Sample>>();
        var ratios = new ArrayList<Ratio>();
        var streamSamples = new ArrayList<StreamSample>();
        var warmUps = new ArrayList<WarmUp.Curve>();
        var profiles = new HashMap<String, String>();
        var setups = new LinkedHashMap<String, String>();
        var coalescing = new ArrayList<CoalesceSample>();
        List<Pair> plan = Pairing.plan(options::runs);
        try (var broker = LocalBroker.start(options.projectRoot(), work, logs);
                var sink = new SpanSink();
                // the agent's own: its pair is measured side by side, and each stack's spans are checked apart
                var agentSink = new SpanSink();
                var model = ModelServer.start("model", Duration.ZERO, TOKEN_DELAY, work, logs)) {
            progress.accept("broker on " + broker.bootstrapServers() + "; pairs: "
                    + plan.stream().map(pair -> String.join(" + ", pair.members())).toList());
            var sampler = new Sampler(sink, Map.of(Sample.BROKER, broker), progress);
            boolean streamed = false;
            // Two stacks at most alive at once. A stack the next pair measures too stays up and warm (off, in
            // the tracing pair and the framework's); the others are stopped before the next pair starts.
            var alive = new LinkedHashMap<String, Subject>();
            try {
                for (Pair pair : plan) {
                    alive.entrySet().removeIf(entry -> {
                        boolean stop = !pair.members().contains(entry.getKey());
                        if (stop) {
                            Subjects.closeQuietly(entry.getValue());
                        }
                        return stop;
                    });
                    var fresh = pair.members().stream().filter(name -> !alive.containsKey(name)).toList();
                    Subjects.start(options, fresh::contains, false, broker.bootstrapServers(), model, sink, agentSink, work, logs,
                            progress).byName().forEach(alive::put);
                    Map<String, Subject> byName = new LinkedHashMap<>();
                    pair.members().forEach(name -> byName.put(name, alive.get(name)));
                    progress.accept(pair.name() + ": up: " + pair.members() + (fresh.size() < pair.members().size()
                            ? " (" + String.join(", ", fresh) + " fresh, the other warm from the pair before)" : ""));
                    byName.values().forEach(subject -> setups.put(subject.name(), Subjects.describe(subject)));
                    for (String name : fresh) {
                        warmUp(sampler, byName.get(name), options.clients(), warmUps);
                    }
                    var pairSamples = new ArrayList<Sample>();
                    rounds(sampler, pair, byName, model, options.clients(), options.rounds(), options.warmUp(), options.window(),
                            pairSamples, warmUps);
                    if (List.of(Targets.RAW, Targets.OFF, Targets.TRACED).containsAll(pair.members())) {
                        rounds(sampler, pair, byName, model, 1, options.latencyRounds(), Duration.ofSeconds(1),
                                options.latencyWindow(), pairSamples, warmUps);
                    }
                    if (options.runs("streaming") && !streamed && byName.containsKey(Targets.OFF) && byName.containsKey(Targets.TRACED)) {
                        streaming(sampler, pair, byName, streamSamples);
                        streamed = true;
                    }
                    if (options.profile() && byName.containsKey(Targets.TRACED)
                            && profiles.keySet().stream().noneMatch(key -> key.startsWith(Targets.TRACED + "|"))) {
                        for (AskPath path : PATHS) {
                            progress.accept("profiling " + Targets.TRACED + " over " + path.transport() + " (JFR)");
                            profiles.put(Targets.TRACED + "|" + path.transport(),
                                    sampler.profile(byName.get(Targets.TRACED), path, options.clients(), options.window(), jfr));
                        }
                    }
                    if (options.profile() && byName.containsKey(Targets.OFF) && byName.containsKey(Targets.RAW)) {
                        // where the framework's cost lies: the untraced services beside the bare JDK's shape
                        for (String name : List.of(Targets.OFF, Targets.RAW)) {
                            for (AskPath path : PATHS) {
                                progress.accept("profiling " + name + " over " + path.transport() + " (JFR)");
                                profiles.put(name + "|" + path.transport(),
                                        sampler.profile(byName.get(name), path, options.clients(), options.window(), jfr));
                            }
                        }
                    }
                    if (!pair.single()) {
                        for (AskPath path : PATHS) {
                            for (int clients : List.of(options.clients(), 1)) {
                                Ratio.of(pair.name() + (clients == 1 ? ", concurrency 1" : ""), pair.numerator(), clients,
                                        pair.denominator(), clients, path.transport(), pairSamples).ifPresent(ratios::add);
                            }
                        }
                    }
                    samples.addAll(pairSamples);
                    byPair.add(pairSamples);
                }
            } finally {
                alive.values().forEach(Subjects::closeQuietly);
            }
            if (options.runs("slow")) {
                try (var subjects = Subjects.start(options, name -> false, true, broker.bootstrapServers(), model, sink, agentSink,
                        work, logs, progress)) {
                    ServiceStack slow = subjects.slow();
                    setups.put(slow.name(), Subjects.describe(slow));
                    var slowSamples = new ArrayList<Sample>();
                    slowModel(sampler, slow, subjects.slowModel(), slowSamples, profiles, jfr, warmUps);
                    samples.addAll(slowSamples);
                    byPair.add(slowSamples);
                    for (AskPath path : PATHS) {
                        // one stack at two loads, minutes apart at most: against the tracing pair's traced stack (another
                        // stack, measured 20 minutes before) two full runs gave 1.348 and 0.942 over HTTP
                        Ratio.of(String.format("cost at %,d clients (1 s model) / at %d (the same stack)", options.slowClients(),
                                        options.clients()), Targets.SLOW, options.slowClients(), Targets.SLOW, options.clients(),
                                path.transport(), slowSamples).ifPresent(ratios::add);
                    }
                }
            }
            if (options.only().contains(SecuredKafkaRun.SUBJECT)) {
                // its own pair: a secured broker beside the run's, one stack on each, alternating rounds
                setups.putAll(SecuredKafkaRun.setups());
                var securedSamples = new ArrayList<Sample>();
                new SecuredKafkaRun(options, progress).run(broker, model, sink, work, logs, securedSamples, warmUps);
                samples.addAll(securedSamples);
                byPair.add(securedSamples);
                Pair secured = SecuredKafkaRun.PAIR;
                Ratio.of(secured.name(), secured.numerator(), options.clients(), secured.denominator(), options.clients(),
                        AskPath.KAFKA.transport(), securedSamples).ifPresent(ratios::add);
            }
            if (options.only().contains(StreamCoalesceRun.SUBJECT)) {
                // its own pair too: a fast model's stream through two gateways, coalescing off and on
                setups.putAll(StreamCoalesceRun.setups());
                coalescing.addAll(new StreamCoalesceRun(options, progress).run(broker, sink, work, logs, warmUps));
            }
        }
        var summaries = Summary.of(Pairing.firstMeasured(byPair));
        double minutes = (System.nanoTime() - start) / 60e9;
        java.util.function.BiFunction<String, String, String> profileOf = (subject, path) -> profiles.getOrDefault(subject + "|" + path,
                options.profile() ? null : "(not profiled: run with --profile)");
        var targets = new ArrayList<>(Targets.judge(summaries, ratios, options.clients(), options.slowClients(), carriers, minutes,
                // a run of some setups only (--only) is no run of its mode: its time is judged against nothing
                options.only().isEmpty() ? options.mode().minutesAllowed : Double.NaN,
                options.mode().flag().isEmpty() ? "(full)" : options.mode().flag(), profileOf));
        targets.addAll(Targets.fromRatios(ratios, options.clients(), options.slowClients(), profileOf));
        var report = new BenchReport(options.command(), started.toString(), minutes, Machine.describe(),
                String.join(" ", options.serviceJvm()), options.clients(), options.slowClients(), setups, warmUps, samples,
                summaries, carriers, targets, options.stream().clients(), TOKEN_DELAY.toMillis(), streamSamples,
                StreamSummary.of(streamSamples), ratios, coalescing, setAside);
        ReportFiles.write(report, options.out());
        return report;
    }

    /**
     * Both stacks of a pair on every path, round after round, in the order {@link Pair#order} gives (A B,
     * B A, ...), so a drift of the machine does not fall on one setup. With more than one client and
     * {@code --pace}, both stacks get the same rate: that share of what the slower one answered unpaced in
     * its last slice before the rounds.
     */
    private void rounds(Sampler sampler, Pair pair, Map<String, Subject> subjects, ModelServer model, int clients, int rounds,
            Duration warmUp, Duration window, List<Sample> samples, List<WarmUp.Curve> warmUps) throws Exception {
        progress.accept(String.format("%d round(s) of %d s per setup and path, %d client(s)", rounds, window.toSeconds(),
                clients));
        boolean paced = clients > 1 && options.pace() > 0;
        // side by side when paced, and at concurrency 1 (each stack its own client): taken in turn, the
        // concurrency-1 ratios of two runs differed by up to 57 % (tracing over HTTP 0.869 and 1.367)
        boolean together = (paced || clients == 1) && options.sideBySide() && !pair.single()
                && ownSinks(pair.members().stream().map(name -> subjects.get(name).spanSink()).toList());
        for (AskPath path : PATHS) {
            double slower = settle(sampler, pair, subjects, path, clients, warmUps, paced);
            // side by side, each stack gets half: the machine carries the load of one stack at the pace
            double rate = paced && slower > 0 ? options.pace() * slower / (together ? 2 : 1) : 0;
            if (paced) {
                progress.accept(String.format("  %s: paced at %,.0f answers/s%s, %.0f %% of the slower stack's %,.0f", path.transport(),
                        rate, together ? " each, the two stacks at once" : "", options.pace() * 100, slower));
                settleAtRate(sampler, pair, subjects, path, clients, rate, together, warmUps);
            }
            var bursts = new ArrayList<List<Sample>>();
            int kept = 0;
            // a round in which the JIT compiled (a burst, 2 % or more) is set aside and measured again, at most
            // as many times as there are rounds; stacks warmed only for show (--quick, --smoke) keep every round
            for (int round = 1; kept < rounds && round <= (options.longWarmUp() ? 2 * rounds : rounds); round++) {
                // in the order of the round it stands for: a round measured again keeps the alternation of those kept
                List<String> order = pair.order(kept + 1);
                List<Sample> measured = together
                        ? sideBySide(sampler, order, subjects, model, path, round, clients, warmUp, window, rate)
                        : inTurn(sampler, order, subjects, model, path, round, clients, warmUp, window, rate);
                if (!options.longWarmUp() || warm(measured)) {
                    samples.addAll(measured);
                    kept++;
                } else {
                    bursts.add(measured);
                    progress.accept(String.format("  round %d set aside: the JIT used %.1f %% of the services' CPU; measured again", round,
                            Sample.highestJitShare(measured) * 100));
                }
            }
            // out of tries: the bursts with the least JIT make up the rounds, and count (the JIT share shows them)
            bursts.sort(Comparator.comparingDouble(Sample::highestJitShare));
            for (List<Sample> burst : bursts) {
                (kept++ < rounds ? samples : setAside).addAll(burst);
            }
        }
    }

    /** Whether every stack of a round had its JIT compiler threads under {@link WarmUp#JIT_SHARE_LIMIT} of its CPU. */
    private static boolean warm(List<Sample> round) {
        return round.stream().allMatch(sample -> sample.servicesJitShare() < WarmUp.JIT_SHARE_LIMIT);
    }

    /** The stacks of a round measured one after the other, in {@code names}' order. */
    private static List<Sample> inTurn(Sampler sampler, List<String> names, Map<String, Subject> subjects, ModelServer model,
            AskPath path, int round, int clients, Duration warmUp, Duration window, double rate) throws Exception {
        var samples = new ArrayList<Sample>();
        for (String name : names) {
            Subject subject = subjects.get(name);
            samples.add(sampler.sample(subject, model.process(), path, round, clients, warmUp, window, seesSpans(subject), rate, () -> { }));
        }
        return samples;
    }

    /** The stacks of a round measured at once, each under its own clients: one window, one state of the machine. */
    private static List<Sample> sideBySide(Sampler sampler, List<String> names, Map<String, Subject> subjects, ModelServer model,
            AskPath path, int round, int clients, Duration warmUp, Duration window, double rate) throws Exception {
        // both loads start together, after each sample's readings (jstat starts a JVM of its own)
        var start = new CyclicBarrier(names.size());
        var samples = atOnce(names.stream().map(name -> (Callable<Sample>) () -> {
            Subject subject = subjects.get(name);
            return sampler.sample(subject, model.process(), path, round, clients, warmUp, window, seesSpans(subject), rate,
                    () -> start.await(1, TimeUnit.MINUTES));
        }).toList());
        var beside = new ArrayList<Sample>();
        for (int i = 0; i < samples.size(); i++) {
            beside.add(samples.get(i).alongside(names.get(1 - i)));
        }
        return beside;
    }

    /**
     * Whether no two stacks export to the same span sink (each stack's {@link Subject#spanSink}), so they can be
     * measured in one window: a sample forgets its sink's traces before it starts and checks what arrived after.
     */
    static boolean ownSinks(Collection<Optional<SpanSink>> stacks) {
        var sinks = stacks.stream().flatMap(Optional::stream).toList();
        return sinks.stream().distinct().count() == sinks.size();
    }

    /** Whether a span sink sees this subject's spans: its sample checks them (one such subject per sink and window). */
    private static boolean seesSpans(Subject subject) {
        return subject.spanSink().isPresent();
    }

    /**
     * Streamed answers through the application, the pair alternating round by round as in {@link #rounds}:
     * the time to first chunk is what a user of a streaming interface feels.
     */
    private void streaming(Sampler sampler, Pair pair, Map<String, Subject> subjects, List<StreamSample> samples) throws Exception {
        var stream = options.stream();
        progress.accept(String.format("streamed answers: %d round(s) of %d s per setup and transport, %d clients",
                stream.rounds(), stream.window().toSeconds(), stream.clients()));
        for (AskPath path : PATHS) {
            for (int round = 1; round <= stream.rounds(); round++) {
                for (String name : pair.order(round)) {
                    Subject subject = subjects.get(name);
                    boolean traceCheck = seesSpans(subject);
                    samples.add(sampler.stream(subject, path, round, stream.clients(), stream.warmUp(), stream.window(),
                            traceCheck));
                }
            }
        }
    }

    /**
     * The model takes a second; 1,000 clients: the bound is 1,000 answers/s. First the same stack's cost at
     * 16 clients, on quick answers, which the cost at 1,000 is read against: rounds as a pair's, paced to
     * {@code --pace} of its own full speed (the load a side-by-side pair puts on the machine).
     */
    private void slowModel(Sampler sampler, ServiceStack slow, ModelServer slowModel, List<Sample> samples,
            Map<String, String> profiles, Path jfr, List<WarmUp.Curve> warmUps) throws Exception {
        // Warmed as every other stack, on quick answers from 16 clients (a second's answers from 1,000 clients
        // would keep both cores busy, and the JIT would take minutes more); then the model takes its second.
        progress.accept("slow model: its stack warmed on quick answers first");
        warmUp(sampler, slow, options.clients(), options.slowStackWarmUp(), warmUps);
        rounds(sampler, new Pair("the slow model's stack at " + options.clients() + " clients", Targets.SLOW, null),
                Map.of(Targets.SLOW, slow), slowModel, options.clients(), SLOW_REFERENCE_ROUNDS, options.warmUp(), options.window(),
                samples, warmUps);
        slowModel.latency(SLOW_MODEL);
        progress.accept(String.format("slow model: %,d clients, the model answering after %d s", options.slowClients(),
                SLOW_MODEL.toSeconds()));
        if (options.jitWarmUp().isZero()) {
            sampler.load(mixed(sampler, slow), options.slowClients(), options.slowWarmUp().multipliedBy(2));
        } else {
            warmUps.add(WarmUp.run(slow.name() + String.format(", %,d clients", options.slowClients()), slow, mixed(sampler, slow),
                    options.slowClients(), 0, BenchOptions.WARM_UP_SLICE, SLOW_WARM_UP, 2, progress));
        }
        for (AskPath path : List.of(AskPath.KAFKA, AskPath.HTTP)) {
            Sample window = sampler.sample(slow, slowModel.process(), path, 1, options.slowClients(), options.slowWarmUp(),
                    options.slowWindow(), true);
            if (options.longWarmUp() && !warm(List.of(window))) {
                // a JIT burst in the window: measured once more, and the window with less JIT counts
                progress.accept(String.format("  set aside: the JIT used %.1f %% of the services' CPU; measured again",
                        window.servicesJitShare() * 100));
                Sample again = sampler.sample(slow, slowModel.process(), path, 2, options.slowClients(), options.slowWarmUp(),
                        options.slowWindow(), true);
                boolean first = window.servicesJitShare() <= again.servicesJitShare();
                setAside.add(first ? again : window);
                window = first ? window : again;
            }
            samples.add(window);
            if (options.profile() && samples.getLast().throughput() < 900) {
                progress.accept("profiling the slow model over " + path.transport() + " (JFR)");
                profiles.put(slow.name() + "|" + path.transport(),
                        sampler.profile(slow, path, options.slowClients(), options.slowWindow(), jfr));
            }
        }
    }

    /**
     * Each stack of the pair under the load of the rounds about to start, unpaced, on their path, until a
     * slice has the JIT under 2 % (at most {@link #SETTLE_SLICES} slices). A stack warmed before and then
     * idle compiled again when load came back: 10-19 % of its CPU in the first round after 75-120 s idle,
     * against 2 % in a stack measured straight after its warm-up; and one path's load compiles what the
     * mixed warm-up did not. The last slice is what paced rounds are paced from; they are settled at their
     * rate after ({@link #settleAtRate}). With a short warm-up (--quick, --smoke) only one slice, and only
     * when the rounds are paced.
     *
     * @return the fewer answers per second of the two stacks in their last slice; NaN when not measured
     */
    private double settle(Sampler sampler, Pair pair, Map<String, Subject> subjects, AskPath path, int clients,
            List<WarmUp.Curve> warmUps, boolean paced) throws InterruptedException {
        if (!options.longWarmUp() && !paced) {
            return Double.NaN; // --quick and --smoke: their stacks are far from warm anyway
        }
        Duration slice = options.longWarmUp() ? SETTLE_SLICE : options.window();
        // paced rounds too: a single slice after an idle spell caught a stack compiling again (29 % JIT) and
        // answering 696 a second instead of 1,100, and the rounds were paced from that
        Duration atMost = options.longWarmUp() ? SETTLE_SLICE.multipliedBy(SETTLE_SLICES) : slice;
        double slower = Double.POSITIVE_INFINITY;
        for (String name : pair.order(1)) {
            Subject subject = subjects.get(name);
            var curve = WarmUp.run(String.format("%s, %s, %d client%s, before its rounds", name, path.transport(), clients,
                    clients == 1 ? "" : "s"), subject, sampler.ask(subject, path), clients, 0, slice, atMost, 1, progress);
            warmUps.add(curve);
            slower = Math.min(slower, curve.points().getLast().throughput());
        }
        return slower;
    }

    /**
     * Each stack of the pair at the rounds' rate until a slice has the JIT under 2 % (at most
     * {@link #SETTLE_AT_RATE_SLICES} slices; full runs only); both at once when the rounds measure them so. A
     * stack settled at full speed compiled again at 60 % of it: 6-10 % of its CPU in the first paced rounds
     * (threads that park and wake between requests run code that a saturated stack never does).
     */
    private void settleAtRate(Sampler sampler, Pair pair, Map<String, Subject> subjects, AskPath path, int clients, double rate,
            boolean together, List<WarmUp.Curve> warmUps) throws Exception {
        if (!options.longWarmUp() || !(rate > 0)) {
            return;
        }
        var settling = pair.order(1).stream().map(name -> (Callable<WarmUp.Curve>) () -> {
            Subject subject = subjects.get(name);
            return WarmUp.run(String.format("%s, %s, %d clients at %,.0f answers/s, before its rounds", name, path.transport(),
                    clients, rate), subject, sampler.ask(subject, path), clients, rate, SETTLE_SLICE,
                    SETTLE_SLICE.multipliedBy(SETTLE_AT_RATE_SLICES), 1, progress);
        }).toList();
        warmUps.addAll(together ? atOnce(settling) : oneAfterAnother(settling));
    }

    /**
     * A fresh stack under the run's warm-up load until its JIT is done (or the run's cap). One stack at a
     * time: a pair's two warmed at once were both still at 26-34 % JIT after 180 s.
     */
    private void warmUp(Sampler sampler, Subject subject, int clients, List<WarmUp.Curve> warmUps) throws InterruptedException {
        warmUp(sampler, subject, clients, options.jitWarmUp(), warmUps);
    }

    private void warmUp(Sampler sampler, Subject subject, int clients, Duration atMost, List<WarmUp.Curve> warmUps)
            throws InterruptedException {
        if (!atMost.isZero()) {
            warmUps.add(WarmUp.run(subject, mixed(sampler, subject), clients, options.warmUpSlice(), atMost, progress));
        }
    }

    private static <T> List<T> oneAfterAnother(List<Callable<T>> tasks) throws Exception {
        var results = new ArrayList<T>();
        for (Callable<T> task : tasks) {
            results.add(task.call());
        }
        return results;
    }

    /**
     * The tasks at once, on virtual threads; their results in the tasks' order. The first to fail stops the
     * others (interrupted), and its exception is thrown with theirs suppressed in it.
     */
    private static <T> List<T> atOnce(List<Callable<T>> tasks) throws Exception {
        try (var all = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = tasks.stream().map(all::submit).toList();
            var results = new ArrayList<T>();
            Exception first = null;
            for (Future<T> future : futures) {
                try {
                    if (first == null) {
                        results.add(future.get());
                    } else {
                        future.get();
                    }
                } catch (ExecutionException failed) {
                    Exception cause = failed.getCause() instanceof Exception exception ? exception : failed;
                    if (first == null) {
                        first = cause;
                        futures.forEach(other -> other.cancel(true));
                    } else {
                        first.addSuppressed(cause);
                    }
                } catch (CancellationException cancelled) {
                    // stopped because another failed: that one is reported
                }
            }
            if (first != null) {
                throw first;
            }
            return results;
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
            case FULL -> CarrierRun.run(1, 3, TimeValue.seconds(2));
        };
        costs.forEach(cost -> progress.accept(String.format("  %s: %.0f ns/op", cost.carrier(), cost.nanosPerOp())));
        return costs;
    }

    /** The stacks alive at one time: a pair's two, or the slow-model stack alone. */
    record Subjects(List<Subject> measured, ServiceStack slow, ModelServer slowModel) implements AutoCloseable {

        /**
         * @param which the measured setups to start (by name: {@code raw} or a tracing setup's label), among the run's
         * @param slowToo whether to start the slow-model stack and its model as well
         * @param agentSink where the Java agent's stack exports, apart from {@code sink}, so its pair can be measured side by side
         */
        static Subjects start(BenchOptions options, Predicate<String> which, boolean slowToo, String bootstrapServers,
                ModelServer model, SpanSink sink, SpanSink agentSink, Path work, Path logs, Consumer<String> progress) throws Exception {
            var jvm = options.serviceJvm();
            var measured = new ArrayList<Subject>();
            ServiceStack slow = null;
            ModelServer slowModel = null;
            try (var starter = Executors.newFixedThreadPool(3)) {
                var starting = new ArrayList<CompletableFuture<? extends Subject>>();
                if (options.runs("raw") && which.test("raw")) {
                    starting.add(CompletableFuture.supplyAsync(() -> unchecked(() ->
                            RawStack.start(model, bootstrapServers, jvm, work, logs)), starter));
                }
                for (TracingSetup setup : TracingSetup.values()) {
                    if (options.runs(setup) && which.test(setup.label())) {
                        var plan = new ServiceStack.Plan(setup.label(), setup, model, bootstrapServers,
                                setup == TracingSetup.AGENT ? agentSink : sink, options.services(), jvm, logs, false);
                        starting.add(CompletableFuture.supplyAsync(() -> unchecked(() -> ServiceStack.start(plan)), starter));
                    }
                }
                CompletableFuture<ServiceStack> slowStarting = null;
                if (options.runs("slow") && slowToo) {
                    // quick answers while the stack warms up; a second's once it is warm (slowModel)
                    slowModel = ModelServer.start("slow-model", Duration.ZERO, TOKEN_DELAY, work, logs);
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
                return new Subjects(measured, slow, slowModel);
            }
        }

        Map<String, Subject> byName() {
            var byName = new LinkedHashMap<String, Subject>();
            measured.forEach(subject -> byName.put(subject.name(), subject));
            return byName;
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

        static void closeQuietly(Subject subject) {
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
