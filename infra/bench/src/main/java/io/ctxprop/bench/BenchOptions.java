package io.ctxprop.bench;

import io.ctxprop.bench.stack.TracingSetup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * What a run does: which subjects, how many rounds, how long each window, how many clients (of the CPU
 * rounds, the slow model, the streamed answers), whether services are profiled, and where the results go. {@code --smoke} proves the harness end to end in
 * seconds; {@code --quick} is a rough check in under 4 minutes; the default is the full run behind the
 * figures in docs/performance/.
 */
record BenchOptions(Mode mode, int clients, int slowClients, int rounds, int latencyRounds, Duration warmUp, Duration window,
        double pace, boolean sideBySide, Duration latencyWindow, Duration slowWarmUp, Duration slowWindow, Duration jitWarmUp, Stream stream,
        List<String> serviceJvm, boolean profile, Set<String> only, Path projectRoot, Path services, Path out, Compared compare) {

    /** {@code --compare A B}: two runs' results.json to set side by side; null for a run. */
    record Compared(Path first, Path second) {
    }

    /** The streamed answers' scenario: clients, rounds per setup and transport, warm-up and window of each. */
    record Stream(int clients, int rounds, Duration warmUp, Duration window) {
    }

    enum Mode {
        SMOKE(5), QUICK(4), FULL(25);

        /** How long a run of this mode may take. */
        final double minutesAllowed;

        Mode(double minutesAllowed) {
            this.minutesAllowed = minutesAllowed;
        }

        String flag() {
            return this == FULL ? "" : "--" + name().toLowerCase();
        }
    }

    /**
     * The CPU rounds' load at 16 clients: this share of what the slower stack of the pair answered, unpaced,
     * in its last slice before the rounds; both stacks get the same rate, half of it each when measured side
     * by side (the machine then carries 70 % of one stack's full speed). At 30 % (0.6 side by side) the
     * services' CPU per answer was twice what it is near full speed: threads woke for every request.
     */
    static final double DEFAULT_PACE = 0.7;

    /** The slice a warm-up measures the JIT's share in. */
    static final Duration WARM_UP_SLICE = Duration.ofSeconds(5);

    /** The subjects of each mode; --only picks among them. */
    /** {@code inspector} (to the inspector only) is in no comparison: it runs alone, and only when --only names it. */
    static final List<String> FULL_SUBJECTS = List.of("raw", "off", "inspector", "inspector+phoenix", "collector", "agent",
            "slow", "streaming", "carriers");
    static final List<String> FULL_DEFAULT = List.of("raw", "off", "inspector+phoenix", "collector", "agent", "slow",
            "streaming", "carriers");
    static final List<String> QUICK_SUBJECTS = List.of("raw", "off", "inspector+phoenix", "streaming", "carriers");
    static final List<String> SMOKE_SUBJECTS = List.of("raw", "off", "inspector+phoenix", "streaming", "carriers");

    static final String USAGE = """
            Usage: infra/bench/bench.sh [--quick | --smoke] [options]
                   infra/bench/bench.sh --compare A/results.json B/results.json
              Setups are measured in pairs, two stacks alive at a time: each comparison's two setups in
              alternating rounds (inspector+phoenix / off, off / raw, collector / agent; inspector only with --only,
              alone), a stack stopped before the next pair unless that pair measures it too (off stays up, warm,
              for off / raw). A fresh stack is warmed until the JIT compiler threads used under 2 % of the
              services' CPU in a 5 s slice (or --jit-warm-up is up, reported), one stack at a time; before each
              path's rounds each stack gets that path's load again until a 3 s slice is under 2 % (at most 3
              slices), the last of which sets the paced rounds' rate, and then that rate until a 3 s slice is
              under 2 % (at most 5; both stacks at once where the rounds are; with --quick and --smoke one
              unpaced slice only). A round in which a stack's JIT used 2 % or more is
              set aside and measured again (at most as many extra rounds as rounds; full run only). The primary
              figures are ratios within the run (the median of the rounds' own ratios); milliseconds stand
              beside them, true of the machine only.
              (default)   the full run: every pair, 4 alternating rounds of 4 s per path after a warm-up of up to
                          150 s per stack, 2 rounds at concurrency 1 (pairs of raw, off and inspector+phoenix),
                          streamed answers (off and inspector+phoenix, 2 rounds of 4 s per transport), the slow
                          model (its stack warmed on quick answers, measured on them at 16 clients in 2 rounds per
                          path, alone, paced to --pace of its own speed; then 1,000 clients on a 1 s model: the one
                          over the other), the carriers
              --quick     the pairs inspector+phoenix / off and off / raw: 5 s of warm-up each, 2 rounds of 2 s,
                          1 at concurrency 1, 1 round of 2 s of streamed answers: under 4 minutes, a check of the
                          harness and of rough ratios (rough: the JIT is far from done, and the report says so)
              --smoke     the same pairs for seconds, carriers in-process: the harness's own check
              --clients N       concurrent clients of the CPU rounds (default 16)
              --slow-clients N  concurrent clients of the slow-model scenario (default 1000)
              --stream-clients N  concurrent clients of the streamed answers, time to first chunk (default 100)
              --rounds N        rounds per setup and path (full 4, quick 2)
              --pace F | off    the CPU rounds' clients paced to F (default 0.7) of the answers per second the slower
                          stack of the pair gave unpaced just before, the same rate for both; off: as fast as
                          answers come (the machine saturated: CPU per answer then moves with throughput)
              --one-at-a-time   the rounds of a pair take turns; by default the two stacks of a pair are measured at
                          once, each at half the rate (at concurrency 1: each its own client), so that the machine's
                          drift falls on both in the same window (the agent's stack has a span sink of its own);
                          unpaced 16-client rounds (--pace off), streamed answers and the pairs run with
                          --only secure-kafka and stream-coalesce always take turns
              --warm-up S, --window S   seconds of warm-up and of measurement per round
              --jit-warm-up S   the most seconds of warm-up load a fresh stack gets (full run: 150, in 5 s slices; it
                          stops earlier once the JIT's share of a slice is under 2 %); the slow model's stack 1.6 x
              --service-jvm "OPTIONS"   JVM options of the services and the raw baseline (default: none, the JVM's
                          defaults as users run them; e.g. "-XX:TieredStopAtLevel=1" or "-XX:+UseParallelGC")
              --profile | --no-profile  JFR in the traced services after the rounds (default in the full run only)
              --only LIST  a comma-separated list among raw, off, inspector, inspector+phoenix, collector, agent, slow,
                          streaming, carriers (streaming measures off and inspector+phoenix: name them too);
                          secure-kafka only when named: Kafka secured (TLS + SCRAM) against plaintext, two stacks
                          with telemetry off on the Kafka path, e.g. --quick --only secure-kafka --rounds 4
                          stream-coalesce only when named: a model writing 500 words 1 ms apart streamed over Kafka
                          by two gateways, LLM_KAFKA_STREAM_COALESCE=0 against 15ms (records, CPU and time to first
                          chunk per answer), e.g. --quick --only stream-coalesce --rounds 4 --window 6
              --out DIR    where results.json and results.md go (default target/bench)
              --compare A B  no run: two runs' results.json side by side, each ratio within 10 % of run A's or not,
                          each run's JIT share in the windows kept (under 2 %?), with those set aside, and its
                          highest window; prints it and writes repeat.md into --out; starts nothing (relative
                          paths are from the project root, as for --out)
            """;

    static BenchOptions parse(String[] args, Path projectRoot, Path services) {
        List<String> list = Arrays.asList(args);
        Mode mode = list.contains("--smoke") ? Mode.SMOKE : list.contains("--quick") ? Mode.QUICK : Mode.FULL;
        Duration warmUp = seconds(list, "--warm-up", 1);
        Duration window = seconds(list, "--window", switch (mode) {
            case SMOKE, QUICK -> 2;
            case FULL -> 4;
        });
        boolean profile = list.contains("--profile") || (mode == Mode.FULL && !list.contains("--no-profile"));
        return new BenchOptions(mode,
                intValue(list, "--clients", 16),
                intValue(list, "--slow-clients", mode == Mode.SMOKE ? 50 : 1000),
                intValue(list, "--rounds", switch (mode) {
                    case SMOKE -> 1;
                    case QUICK -> 2;
                    case FULL -> 4;
                }),
                mode == Mode.FULL ? 2 : 1,
                warmUp, window, pace(list), !list.contains("--one-at-a-time"),
                Duration.ofSeconds(mode == Mode.FULL ? 4 : mode == Mode.QUICK ? 2 : 1),
                // 1,000 clients open their connections and fill the pipeline in the first seconds.
                Duration.ofSeconds(mode == Mode.FULL ? 8 : 3),
                Duration.ofSeconds(mode == Mode.FULL ? 15 : mode == Mode.QUICK ? 5 : 2),
                seconds(list, "--jit-warm-up", switch (mode) {
                    case SMOKE -> 0;
                    case QUICK -> 5;
                    case FULL -> 150;
                }),
                new Stream(intValue(list, "--stream-clients", mode == Mode.SMOKE ? 4 : 100), mode == Mode.FULL ? 2 : 1,
                        Duration.ofSeconds(mode == Mode.FULL ? 2 : 1), Duration.ofSeconds(switch (mode) {
                            case SMOKE, QUICK -> 2;
                            case FULL -> 4;
                        })),
                Arrays.stream(value(list, "--service-jvm", "").split(" ")).filter(option -> !option.isBlank()).toList(),
                profile,
                list.contains("--only") ? Set.of(value(list, "--only", "").split(",")) : Set.of(),
                projectRoot, services,
                Path.of(value(list, "--out", projectRoot.resolve("target/bench").toString())).toAbsolutePath(),
                compared(list));
    }

    /** {@code --pace F}: a share of the slower stack's answers per second, (0, 1); 0 or {@code off}: unpaced. */
    private static double pace(List<String> args) {
        String value = value(args, "--pace", Double.toString(DEFAULT_PACE));
        double pace = value.equals("off") ? 0 : Double.parseDouble(value);
        if (!(pace >= 0 && pace < 1)) {
            throw new IllegalArgumentException("--pace takes a share of the slower stack's answers per second, 0 < F < 1, or off: " + value);
        }
        return pace;
    }

    private static Compared compared(List<String> args) {
        int at = args.indexOf("--compare");
        if (at < 0) {
            return null;
        }
        if (at + 2 >= args.size() || args.get(at + 1).startsWith("--") || args.get(at + 2).startsWith("--")) {
            throw new IllegalArgumentException("--compare needs two results.json files: --compare A/results.json B/results.json");
        }
        return new Compared(Path.of(args.get(at + 1)).toAbsolutePath(), Path.of(args.get(at + 2)).toAbsolutePath());
    }

    /** A warm-up's slice: 5 s, or the whole --jit-warm-up when that is shorter than three slices (--quick). */
    Duration warmUpSlice() {
        return longWarmUp() ? WARM_UP_SLICE : jitWarmUp;
    }

    /**
     * The most warm-up the slow model's stack gets: 1.6 x {@code --jit-warm-up} (240 s in a full run) where
     * stacks are warmed for real, as much as a pair's otherwise. Two of four slow-only runs stopped it at
     * 150 s with the JIT still at 5 % of its CPU, and their Kafka ratios (0.586, 0.544) stood apart from the
     * two whose stack got warm (0.818, 0.648; two of the four with a reference rate since taken back).
     */
    Duration slowStackWarmUp() {
        return longWarmUp() ? jitWarmUp.multipliedBy(8).dividedBy(5) : jitWarmUp;
    }

    /** Whether stacks are warmed for real (three slices at least), not the token warm-up of --quick. */
    boolean longWarmUp() {
        return jitWarmUp.compareTo(WARM_UP_SLICE.multipliedBy(3)) >= 0;
    }

    /** Whether a subject is part of this run: one of the mode's, and named by --only if given. */
    boolean runs(String subject) {
        var ofMode = switch (mode) {
            case SMOKE -> SMOKE_SUBJECTS;
            case QUICK -> QUICK_SUBJECTS;
            case FULL -> FULL_SUBJECTS;
        };
        return ofMode.contains(subject) && (only.isEmpty() ? mode != Mode.FULL || FULL_DEFAULT.contains(subject) : only.contains(subject));
    }

    boolean runs(TracingSetup setup) {
        return runs(setup.label());
    }

    String command() {
        return ("infra/bench/bench.sh " + mode.flag()).strip();
    }

    private static Duration seconds(List<String> args, String flag, int fallback) {
        return Duration.ofSeconds(intValue(args, flag, fallback));
    }

    private static int intValue(List<String> args, String flag, int fallback) {
        return Integer.parseInt(value(args, flag, Integer.toString(fallback)));
    }

    private static String value(List<String> args, String flag, String fallback) {
        int at = args.indexOf(flag);
        if (at < 0) {
            return fallback;
        }
        if (at + 1 >= args.size()) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args.get(at + 1);
    }
}
