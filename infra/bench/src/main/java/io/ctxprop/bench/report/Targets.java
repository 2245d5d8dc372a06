package io.ctxprop.bench.report;

import io.ctxprop.bench.carriers.CarrierRun.HopCost;
import io.ctxprop.bench.compare.Ratio;
import io.ctxprop.bench.measure.Summary;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The targets, judged on one run's summaries side by side. A target whose subjects did not run
 * is left out; a miss carries the JFR profile of the subject and path that show where the time goes.
 */
public final class Targets {

    /** The configuration the CPU targets name: the inspector and one OTLP backend. */
    public static final String TRACED = "inspector+phoenix";
    public static final String OFF = "off";
    public static final String RAW = "raw";
    public static final String OURS_TO_COLLECTOR = "collector";
    public static final String AGENT = "agent";
    public static final String SLOW = "slow";

    private final List<Summary> summaries;
    private final List<Ratio> ratios;
    private final int clients;
    private final int slowClients;
    private final BiFunction<String, String, String> profileOf;

    private Targets(List<Summary> summaries, List<Ratio> ratios, int clients, int slowClients,
            BiFunction<String, String, String> profileOf) {
        this.summaries = summaries;
        this.ratios = ratios;
        this.clients = clients;
        this.slowClients = slowClients;
        this.profileOf = profileOf;
    }

    /**
     * @param profileOf the profile of a subject on a path (name, path), or null when none was recorded
     * @param minutesAllowed how long the run may take in its mode; NaN for a run of a part (--only), whose time says nothing
     */
    public static List<TargetResult> judge(List<Summary> summaries, List<Ratio> ratios, int clients, int slowClients,
            List<HopCost> carriers, double minutes, double minutesAllowed, String mode, BiFunction<String, String, String> profileOf) {
        var targets = new Targets(summaries, ratios, clients, slowClients, profileOf);
        var results = new ArrayList<TargetResult>();
        targets.servicesCpu("http", 0.8).ifPresent(results::add);
        targets.servicesCpu("kafka", 1.0).ifPresent(results::add);
        for (String path : List.of("http", "kafka")) {
            targets.tracingCpu(path).ifPresent(results::add);
        }
        for (String path : List.of("http", "kafka")) {
            targets.tracingLatency(path).ifPresent(results::add);
        }
        for (String path : List.of("http", "kafka")) {
            targets.againstTheAgent(path).ifPresent(results::add);
        }
        targets.kafkaAgainstRaw().ifPresent(results::add);
        for (String path : List.of("kafka", "http")) {
            targets.slowModel(path).ifPresent(results::add);
        }
        for (HopCost hop : carriers) {
            results.add(new TargetResult("carriers: " + hop.carrier() + " inject + extract < 1 us",
                    String.format("%.0f ± %.0f ns", hop.nanosPerOp(), hop.error()), hop.nanosPerOp() < 1000, null));
        }
        if (!Double.isNaN(minutesAllowed)) {
            results.add(new TargetResult(String.format("bench.sh %s within %.0f minutes", mode, minutesAllowed),
                    String.format("%.1f minutes", minutes), minutes <= minutesAllowed, null));
        }
        return results;
    }

    /**
     * The targets that are ratios of one pair (or of one run, for load): untraced at most 1.5 x
     * raw, and the cost per answer at the slow model's load at most 1.2 x the cost at 16 clients.
     */
    public static List<TargetResult> fromRatios(List<Ratio> ratios, int clients, int slowClients,
            BiFunction<String, String, String> profileOf) {
        var results = new ArrayList<TargetResult>();
        for (String path : List.of("http", "kafka")) {
            ratio(ratios, OFF, clients, RAW, clients, path).ifPresent(framework -> {
                boolean met = framework.ratio() <= 1.5;
                results.add(new TargetResult(path + ": untraced services at most 1.5 x raw's CPU per answer (one pair)",
                        ratioText(framework), met, met ? null : besideRaw(profileOf.apply(OFF, path), profileOf.apply(RAW, path))));
            });
        }
        for (String path : List.of("http", "kafka")) {
            ratio(ratios, SLOW, slowClients, SLOW, clients, path).ifPresent(load -> {
                boolean met = load.ratio() <= 1.2;
                results.add(new TargetResult(String.format("%s: CPU per answer at %,d clients (1 s model) at most 1.2 x at %d",
                        path, slowClients, clients), ratioText(load), met, met ? null : profileOf.apply(SLOW, path)));
            });
        }
        return results;
    }

    /** The untraced services' profile, and raw's after it when there is one: the difference is the framework. */
    private static String besideRaw(String off, String raw) {
        return off == null || raw == null || raw.startsWith("(not profiled") ? off : off + "\n-- raw, the same load:\n" + raw;
    }

    private static Optional<Ratio> ratio(List<Ratio> ratios, String numerator, int numeratorClients, String denominator,
            int denominatorClients, String path) {
        return ratios.stream().filter(r -> r.numerator().equals(numerator) && r.numeratorClients() == numeratorClients
                && r.denominator().equals(denominator) && r.denominatorClients() == denominatorClients && r.path().equals(path))
                .findFirst();
    }

    private static String ratioText(Ratio ratio) {
        return String.format("%.2f x (%.3f vs %.3f ms; rounds %s)", ratio.ratio(), ratio.numeratorMs(), ratio.denominatorMs(),
                ratio.rounds() == null ? "-" : ratio.rounds().text("%.2f"));
    }

    private Optional<TargetResult> servicesCpu(String path, double limitMs) {
        return find(TRACED, path, clients).map(on -> target(
                String.format("%s: application + gateway CPU per answer, tracing to the inspector and Phoenix, <= %.1f ms", path, limitMs),
                String.format("%.3f ms (rounds %.3f-%.3f)", on.servicesMs().median(), on.servicesMs().min(), on.servicesMs().max()),
                on.servicesMs().median() <= limitMs, TRACED, path));
    }

    /** From the pair's ratio (round by round) where the run has one, as the ratios' table shows it; else from the medians. */
    private Optional<TargetResult> tracingCpu(String path) {
        var on = find(TRACED, path, clients);
        var off = find(OFF, path, clients);
        if (on.isEmpty() || off.isEmpty()) {
            return Optional.empty();
        }
        var pair = ratio(ratios, TRACED, clients, OFF, clients, path);
        if (pair.isPresent()) {
            double cost = pair.get().ratio() - 1;
            return Optional.of(target(path + ": tracing costs <= 5% of the CPU per answer",
                    String.format("%+.1f%% (%s)", cost * 100, ratioText(pair.get())), cost <= 0.05, TRACED, path));
        }
        double cost = on.get().servicesMs().median() / off.get().servicesMs().median() - 1;
        return Optional.of(target(path + ": tracing costs <= 5% of the CPU per answer",
                String.format("%+.1f%% (%.3f on vs %.3f off ms)", cost * 100, on.get().servicesMs().median(),
                        off.get().servicesMs().median()),
                cost <= 0.05, TRACED, path));
    }

    private Optional<TargetResult> tracingLatency(String path) {
        var on = find(TRACED, path, 1);
        var off = find(OFF, path, 1);
        if (on.isEmpty() || off.isEmpty()) {
            return Optional.empty();
        }
        double extra = on.get().p50Ms().median() - off.get().p50Ms().median();
        return Optional.of(target(path + ": tracing adds <= 0.3 ms p50 at concurrency 1",
                String.format("%+.2f ms (%.2f on vs %.2f off)", extra, on.get().p50Ms().median(), off.get().p50Ms().median()),
                extra <= 0.3, TRACED, path));
    }

    private Optional<TargetResult> againstTheAgent(String path) {
        var ours = find(OURS_TO_COLLECTOR, path, clients);
        var agent = find(AGENT, path, clients);
        if (ours.isEmpty() || agent.isEmpty()) {
            return Optional.empty();
        }
        double oursMs = ours.get().servicesMs().median();
        double agentMs = agent.get().servicesMs().median();
        double oursAttributes = orZero(ours.get().attributesPerAnswer());
        double agentAttributes = orZero(agent.get().attributesPerAnswer());
        return Optional.of(target(path + ": less CPU per answer than the Java agent (each to an OTLP sink), with at least its span attributes",
                String.format("%.3f vs %.3f ms; %.1f vs %.1f attributes, %.1f vs %.1f spans per answer", oursMs, agentMs,
                        oursAttributes, agentAttributes, orZero(ours.get().spansPerAnswer()), orZero(agent.get().spansPerAnswer())),
                oursMs < agentMs && oursAttributes >= agentAttributes, OURS_TO_COLLECTOR, path));
    }

    private Optional<TargetResult> kafkaAgainstRaw() {
        var kafka = find(TRACED, "kafka", 1);
        var raw = find(RAW, "kafka", 1);
        if (kafka.isEmpty() || raw.isEmpty()) {
            return Optional.empty();
        }
        double extra = kafka.get().p50Ms().median() - raw.get().p50Ms().median();
        return Optional.of(target("kafka at concurrency 1: p50 <= raw + 2 ms",
                String.format("%+.2f ms (%.2f vs %.2f ms)", extra, kafka.get().p50Ms().median(), raw.get().p50Ms().median()),
                extra <= 2, TRACED, "kafka"));
    }

    private Optional<TargetResult> slowModel(String path) {
        return find(SLOW, path, slowClients).map(slow -> {
            boolean met = slow.throughput() >= 900 && slow.errors() == 0 && slow.timeouts() == 0 && slow.everyTraceWhole()
                    && Long.valueOf(0).equals(slow.spansDropped());
            return target(String.format("slow model, %s: >= 900 answers/s from %,d clients, no error, timeout or lost span, every trace whole, 512 MB heaps",
                            path, slowClients),
                    String.format("%,.0f answers/s, %d errors, %d timeouts, %s spans dropped, %s of %s traces whole",
                            slow.throughput(), slow.errors(), slow.timeouts(), slow.spansDropped(), slow.tracesWhole(), slow.traces()),
                    met, SLOW, path);
        });
    }

    private TargetResult target(String name, String measured, boolean met, String subject, String path) {
        return new TargetResult(name, measured, met, met ? null : profileOf.apply(subject, path));
    }

    private Optional<Summary> find(String subject, String path, int clientCount) {
        return summaries.stream().filter(s -> s.subject().equals(subject) && s.path().equals(path) && s.clients() == clientCount)
                .findFirst();
    }

    private static double orZero(Double value) {
        return value == null ? 0 : value;
    }
}
