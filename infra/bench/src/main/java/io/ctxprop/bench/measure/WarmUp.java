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

    /**
     * One slice of the curve: when it ended, answers per second in it, front + back CPU ms per answer
     * without their JIT compiler threads, and what those used besides.
     */
    public record Point(double atSeconds, double throughput, double servicesMs, double jitMs) {
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
            var cpu = new ProcessUsage.Cpu[2];
            LoadResult load = new LoadGenerator(clients, Duration.ZERO, slice).run(call, line -> { }, opens -> {
                var front = ProcessUsage.cpu(subject.front().pid());
                var back = ProcessUsage.cpu(subject.back().pid());
                cpu[opens ? 0 : 1] = new ProcessUsage.Cpu(front.total() + back.total(), front.jit() + back.jit());
            });
            elapsed += slice.toSeconds();
            var used = cpu[1].minus(cpu[0]);
            double ms = load.ok() == 0 ? Double.NaN : used.work() * 1000 / load.ok();
            double jitMs = load.ok() == 0 ? Double.NaN : used.jit() * 1000 / load.ok();
            points.add(new Point(elapsed, load.throughput(), ms, jitMs));
            progress.accept(String.format("  warm-up %-18s %4.0f s: %,7.0f answers/s, front+back %.3f ms CPU/answer (+%.3f JIT)",
                    subject.name(), elapsed, load.throughput(), ms, jitMs));
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
