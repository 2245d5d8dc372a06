package io.ctxprop.bench.measure;

import io.ctxprop.bench.load.Call;
import io.ctxprop.bench.load.LoadGenerator;
import io.ctxprop.bench.load.LoadResult;
import io.ctxprop.bench.process.ProcessUsage;
import io.ctxprop.bench.stack.Subject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Brings a fresh subject to its steady state and shows that it got there: load in slices, the front and
 * back services' CPU per answer read for each, until two slices in a row are within
 * {@value #STEADY_PERCENT} % of the one before (the JIT has done its work), or the time is up.
 */
public final class WarmUp {

    static final double STEADY_PERCENT = 5;

    /** One slice of the curve: when it ended, answers per second in it, front + back CPU ms per answer. */
    public record Point(double atSeconds, double throughput, double servicesMs) {
    }

    /** A subject's curve; {@code steady}: whether it flattened before the time was up. */
    public record Curve(String subject, List<Point> points, boolean steady) {
    }

    private WarmUp() {
    }

    public static Curve run(Subject subject, Call call, int clients, Duration slice, Duration atMost,
            Consumer<String> progress) throws InterruptedException {
        var points = new ArrayList<Point>();
        double elapsed = 0;
        boolean steady = false;
        while (!steady && elapsed < atMost.toSeconds()) {
            double[] cpu = new double[2];
            LoadResult load = new LoadGenerator(clients, Duration.ZERO, slice).run(call, line -> { }, opens -> {
                double now = ProcessUsage.cpuSeconds(subject.front().pid()) + ProcessUsage.cpuSeconds(subject.back().pid());
                cpu[opens ? 0 : 1] = now;
            });
            elapsed += slice.toSeconds();
            double ms = load.ok() == 0 ? Double.NaN : (cpu[1] - cpu[0]) * 1000 / load.ok();
            points.add(new Point(elapsed, load.throughput(), ms));
            progress.accept(String.format("  warm-up %-18s %4.0f s: %,7.0f answers/s, front+back %.3f ms CPU/answer",
                    subject.name(), elapsed, load.throughput(), ms));
            steady = steady(points);
        }
        return new Curve(subject.name(), points, steady);
    }

    /** The last two slices each within the limit of the slice before them. */
    static boolean steady(List<Point> points) {
        int n = points.size();
        return n >= 3 && within(points.get(n - 1), points.get(n - 2)) && within(points.get(n - 2), points.get(n - 3));
    }

    private static boolean within(Point later, Point earlier) {
        return Math.abs(later.servicesMs() - earlier.servicesMs()) <= earlier.servicesMs() * STEADY_PERCENT / 100;
    }
}
