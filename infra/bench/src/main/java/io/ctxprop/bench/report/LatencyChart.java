package io.ctxprop.bench.report;

import java.util.List;
import java.util.Locale;

/**
 * latency.svg: p50, p90 and p99 of every scenario as bars on a logarithmic millisecond axis, so the
 * raw baseline's fractions of a millisecond and the slow model's second fit one picture.
 */
public final class LatencyChart {

    private static final int LEFT = 150;
    private static final int PLOT_WIDTH = 560;
    private static final int ROW = 34;
    private static final int TOP = 40;
    private static final String[] COLOURS = {"#4c78a8", "#f58518", "#e45756"};
    private static final String[] LABELS = {"p50", "p90", "p99"};

    private LatencyChart() {
    }

    public static String svg(List<ScenarioResult> scenarios, String title) {
        double low = Math.floor(Math.log10(Math.max(0.01, scenarios.stream().mapToDouble(ScenarioResult::p50Ms)
                .filter(v -> v > 0).min().orElse(0.1))));
        double high = Math.ceil(Math.log10(Math.max(1, scenarios.stream().mapToDouble(ScenarioResult::p99Ms).max().orElse(10))));
        if (high <= low) {
            high = low + 1;
        }
        int height = TOP + scenarios.size() * ROW + 50;
        var svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", LEFT + PLOT_WIDTH + 30, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n"));
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                escape(title)));
        for (int i = 0; i < LABELS.length; i++) {
            int x = LEFT + PLOT_WIDTH - 180 + i * 60;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"10\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"20\">%s</text>%n", x, COLOURS[i], x + 16, LABELS[i]));
        }
        int axisY = TOP + scenarios.size() * ROW;
        for (double decade = low; decade <= high; decade++) {
            double x = LEFT + (decade - low) / (high - low) * PLOT_WIDTH;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s ms</text>%n",
                    x, TOP - 5, x, axisY, x, axisY + 16, label(Math.pow(10, decade))));
        }
        for (int row = 0; row < scenarios.size(); row++) {
            ScenarioResult s = scenarios.get(row);
            int y = TOP + row * ROW;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    LEFT - 8, y + 20, escape(s.name())));
            double[] values = {s.p50Ms(), s.p90Ms(), s.p99Ms()};
            for (int i = 0; i < values.length; i++) {
                double v = Math.max(Math.pow(10, low), values[i]);
                double width = Double.isNaN(v) ? 0 : (Math.log10(v) - low) / (high - low) * PLOT_WIDTH;
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"8\" fill=\"%s\">"
                        + "<title>%s %s %.2f ms</title></rect>%n", LEFT, y + 6 + i * 9, width, COLOURS[i],
                        escape(s.name()), LABELS[i], values[i]));
            }
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#555\">latency per request "
                + "(log scale); closed loop, clients as in the table</text>%n", LEFT, axisY + 38));
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static String label(double ms) {
        return ms >= 1 ? String.format(Locale.ROOT, "%,.0f", ms) : String.format(Locale.ROOT, "%s", ms);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
