package io.ctxprop.bench.measure;

import java.util.List;

/** The median of a figure over rounds, with the lowest and highest round. */
public record Spread(double median, double min, double max, int rounds) {

    public static Spread of(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (sorted.length == 0) {
            return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Spread(median, sorted[0], sorted[n - 1], n);
    }

    /** "0.81 (0.78-0.85)". */
    public String text(String format) {
        if (rounds == 0) {
            return "-";
        }
        String median = String.format(format, this.median);
        return rounds == 1 ? median : median + " (" + String.format(format, min) + "-" + String.format(format, max) + ")";
    }
}
