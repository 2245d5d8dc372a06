package io.ctxprop.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * What a run does: how long each phase lasts, how many clients, whether services are profiled, and
 * where the results go. {@code --smoke} proves the harness end to end in seconds; {@code --quick}
 * runs every scenario briefly; the default is the full run behind the figures in docs/performance/.
 */
record BenchOptions(Mode mode, int clients, int slowClients, Duration warmUp, Duration window, Duration slowWarmUp,
        Duration slowWindow,
        Duration jitWarmUp, List<String> serviceJvm, boolean profile, Set<String> only, Path projectRoot, Path services, Path out) {

    enum Mode {
        SMOKE, QUICK, FULL;

        String flag() {
            return this == FULL ? "" : "--" + name().toLowerCase();
        }
    }

    /**
     * The services' JIT by default: C1 only. On 2 cores shared by five JVMs, C2 was still compiling
     * (half of a service's CPU) after 150 s of load, and C1-only services ran faster within the run:
     * http 435 vs 400 requests/s without tracing, p99 87 vs 150 ms (docs/performance/README.md).
     */
    static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

    static final String USAGE = """
            Usage: infra/bench/bench.sh [--quick | --smoke] [--clients N] [--slow-clients N] [--profile | --no-profile] [--out DIR]
              (default)   the full run, about 13 minutes: every scenario, 10 s warm-up, 30 s measured
              --quick     every scenario, 1 s warm-up and 3 s measured, no JIT warm-up: under 3 minutes, figures rough
              --smoke     raw, kafka, http and both with tracing on, 2 s each, carriers in-process: the harness's own check
              --clients   concurrent clients of the side-by-side scenarios (default 16)
              --slow-clients  concurrent clients of the slow-model scenario (default 1000)
              --warm-up S, --window S   seconds of warm-up and of measurement per scenario, instead of the mode's
              --jit-warm-up S   seconds of load each process gets before its first scenario (full run: 60)
              --service-jvm "OPTIONS"   JVM options of the services and the raw processes (default "-XX:TieredStopAtLevel=1";
                          "" for the JVM's defaults)
              --profile   record JFR in every service per scenario (default in the full run only)
              --only      a comma-separated list of scenarios to run (raw, kafka-on, kafka-off, http-on, http-off,
                          both-on, both-off, slow-kafka, slow-http, carriers), for tuning one of them
              --out       where results.json, results.md and latency.svg go (default target/bench)
            """;

    static BenchOptions parse(String[] args, Path projectRoot, Path services) {
        List<String> list = Arrays.asList(args);
        Mode mode = list.contains("--smoke") ? Mode.SMOKE : list.contains("--quick") ? Mode.QUICK : Mode.FULL;
        Duration warmUp = switch (mode) {
            case SMOKE -> Duration.ofSeconds(1);
            case QUICK -> Duration.ofSeconds(1);
            case FULL -> Duration.ofSeconds(10);
        };
        Duration window = switch (mode) {
            case SMOKE -> Duration.ofSeconds(2);
            case QUICK -> Duration.ofSeconds(3);
            case FULL -> Duration.ofSeconds(30);
        };
        // A fresh JVM on 2 cores takes a minute or more to reach its steady state (the raw baseline
        // went from 400 to 3,800 requests/s over its first 60 s): each process gets this much load
        // before its first scenario.
        Duration jitWarmUp = switch (mode) {
            case SMOKE, QUICK -> Duration.ZERO;
            case FULL -> Duration.ofSeconds(60);
        };
        if (list.contains("--warm-up")) {
            warmUp = Duration.ofSeconds(intValue(list, "--warm-up", 0));
        }
        if (list.contains("--window")) {
            window = Duration.ofSeconds(intValue(list, "--window", 0));
        }
        boolean profile = list.contains("--profile") || (mode == Mode.FULL && !list.contains("--no-profile"));
        return new BenchOptions(mode,
                intValue(list, "--clients", 16),
                intValue(list, "--slow-clients", 1000),
                warmUp, window,
                // 1,000 clients open their connections and fill the pipeline in the first seconds, and a
                // request takes seconds: the quick run gives the slow model more than its other scenarios.
                mode == Mode.FULL ? Duration.ofSeconds(10) : mode == Mode.QUICK ? Duration.ofSeconds(3) : warmUp,
                mode == Mode.QUICK && !list.contains("--window") ? Duration.ofSeconds(6) : window,
                list.contains("--jit-warm-up") ? Duration.ofSeconds(intValue(list, "--jit-warm-up", 0)) : jitWarmUp,
                List.of(value(list, "--service-jvm", C1_ONLY).split(" ")).stream().filter(option -> !option.isBlank()).toList(),
                profile,
                list.contains("--only") ? Set.of(value(list, "--only", "").split(",")) : Set.of(),
                projectRoot, services,
                Path.of(value(list, "--out", projectRoot.resolve("target/bench").toString())).toAbsolutePath());
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

    /** Whether a scenario is part of this run: every one of the mode's, unless --only names some. */
    boolean runs(String scenario) {
        return only.isEmpty() || only.contains(scenario);
    }

    String command() {
        return ("infra/bench/bench.sh " + mode.flag()).strip();
    }
}
