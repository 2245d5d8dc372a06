package io.ctxprop.bench.compare;

import io.ctxprop.bench.measure.WarmUp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two runs' ratios side by side: each ratio of either run with its value in the first run (A) and the
 * second (B), and whether B is within 10 % of A, relative to A (|B - A| / A). A ratio measured in one
 * run only, or not a finite number in either, is not within. The runs agree when they have ratios and
 * every one is within.
 */
public record Repeatability(List<Row> rows) {

    /** How far, relative to the first run, the second run's ratio may be: the 10 %. */
    public static final double TOLERANCE = 0.10;
    /** A difference written as exactly 10 % lands a hair above it in binary ((1.1 - 1.0) / 1.0 = 0.10000000000000009). */
    private static final double ROUNDING = 1e-9;

    /**
     * One ratio: its name, path and clients (numerator / denominator), and its value in each run, null
     * where that run did not measure it.
     */
    public record Row(String name, String path, String clients, Double first, Double second) {

        /** |B - A| / A; NaN where either run lacks the ratio or A is zero or not finite. */
        public double difference() {
            if (first == null || second == null || !Double.isFinite(first) || !Double.isFinite(second) || first == 0) {
                return Double.NaN;
            }
            return Math.abs(second - first) / Math.abs(first);
        }

        public boolean within() {
            double difference = difference();
            return !Double.isNaN(difference) && difference <= TOLERANCE + ROUNDING;
        }
    }

    /** Rows in the first run's order, then the ratios only the second run has. */
    public static Repeatability of(List<Ratio> first, List<Ratio> second) {
        var rows = new LinkedHashMap<String, Row>();
        for (Ratio ratio : first) {
            rows.putIfAbsent(key(ratio), new Row(ratio.name(), ratio.path(), clients(ratio), ratio.ratio(), null));
        }
        for (Ratio ratio : second) {
            Row row = rows.get(key(ratio));
            if (row == null) {
                rows.put(key(ratio), new Row(ratio.name(), ratio.path(), clients(ratio), null, ratio.ratio()));
            } else if (row.second() == null && row.first() != null) {
                rows.put(key(ratio), new Row(row.name(), row.path(), row.clients(), row.first(), ratio.ratio()));
            }
        }
        return new Repeatability(List.copyOf(rows.values()));
    }

    /** Every ratio of both runs within the tolerance, and at least one ratio to compare. */
    public boolean agree() {
        return !rows.isEmpty() && rows.stream().allMatch(Row::within);
    }

    public long withinCount() {
        return rows.stream().filter(Row::within).count();
    }

    /** Whether a JIT share (a run's, in the windows kept) is under {@link WarmUp#JIT_SHARE_LIMIT} (2 %). */
    public static boolean warm(double jitShare) {
        return !Double.isNaN(jitShare) && jitShare < WarmUp.JIT_SHARE_LIMIT;
    }

    /** The agent's pair was named for its one shared sink until each stack got its own (2026-12-07). */
    private static final Map<String, String> FORMER_NAMES = Map.of("ours against the Java agent (both to one collector)",
            "ours against the Java agent (each to an OTLP sink)");

    /** The same comparison measured at the same loads: two runs with other --clients compare nothing. */
    private static String key(Ratio ratio) {
        return String.join("|", FORMER_NAMES.getOrDefault(ratio.name(), ratio.name()), ratio.path(), ratio.numerator(),
                Integer.toString(ratio.numeratorClients()), ratio.denominator(), Integer.toString(ratio.denominatorClients()));
    }

    private static String clients(Ratio ratio) {
        return ratio.numeratorClients() + " / " + ratio.denominatorClients();
    }
}
