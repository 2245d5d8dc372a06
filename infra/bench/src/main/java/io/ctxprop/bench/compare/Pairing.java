package io.ctxprop.bench.compare;

import io.ctxprop.bench.measure.Sample;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which stacks are alive together: at most two setups at a time, one comparison after the other (a
 * dozen JVMs at once on 2 cores never warmed up). The harness stops a pair's stacks before the next pair,
 * except one the next pair measures too (off, from the tracing pair into the framework's).
 */
public final class Pairing {

    public static final String TRACED = "inspector+phoenix";
    public static final String OFF = "off";
    public static final String RAW = "raw";
    public static final String INSPECTOR = "inspector";
    public static final String COLLECTOR = "collector";
    public static final String AGENT = "agent";

    /** The comparisons, in the order they run: the primary ratios first. */
    static final List<Pair> COMPARISONS = List.of(
            new Pair("tracing's cost (traced / untraced)", TRACED, OFF),
            new Pair("the framework's cost (untraced / raw)", OFF, RAW),
            new Pair("ours against the Java agent (each to an OTLP sink)", COLLECTOR, AGENT));

    /** The setups in the order they are named when one is left over. */
    static final List<String> SETUPS = List.of(RAW, OFF, INSPECTOR, TRACED, COLLECTOR, AGENT);

    private Pairing() {
    }

    /**
     * The pairs of a run whose setups satisfy {@code runs}: each comparison whose two setups both run, then
     * each running setup that no such comparison measured, alone.
     */
    public static List<Pair> plan(Predicate<String> runs) {
        var plan = new ArrayList<Pair>();
        Set<String> covered = new LinkedHashSet<>();
        for (Pair pair : COMPARISONS) {
            if (runs.test(pair.numerator()) && runs.test(pair.denominator())) {
                plan.add(pair);
                covered.addAll(pair.members());
            }
        }
        for (String setup : SETUPS) {
            if (runs.test(setup) && !covered.contains(setup)) {
                plan.add(new Pair(setup + " alone", setup, null));
            }
        }
        return plan;
    }

    /**
     * The rounds the report's absolute figures and targets are read from: each setup's rounds from the
     * first pair that measured it (a setup in two pairs, such as off, is measured again in the second;
     * those rounds serve that pair's ratio and are not pooled with the first's).
     *
     * @param byPair each pair's samples, in the order the pairs ran
     */
    public static List<Sample> firstMeasured(List<List<Sample>> byPair) {
        var kept = new ArrayList<Sample>();
        Set<String> seen = new LinkedHashSet<>();
        for (List<Sample> pair : byPair) {
            Set<String> here = new LinkedHashSet<>();
            for (Sample sample : pair) {
                if (!seen.contains(sample.subject())) {
                    kept.add(sample);
                    here.add(sample.subject());
                }
            }
            seen.addAll(here);
        }
        return kept;
    }
}
