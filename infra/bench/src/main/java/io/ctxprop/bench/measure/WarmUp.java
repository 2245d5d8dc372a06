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
 * back services' CPU per answer read for each, until the JIT compiler threads used less than
 * {@value #JIT_SHARE_LIMIT} of the services' CPU in a slice after the first (the JIT has done its work;
 * a flat CPU curve is not enough: it flattens for a while and falls again when the next tier compiles),
 * or the time is up, which the curve reports ({@code steady} false).
 */
public final class WarmUp {

    /** The JIT compiler threads' share of the services' CPU under which a slice counts as warm. */
    public static final double JIT_SHARE_LIMIT = 0.02;

    /**
     * One slice of the curve: when it ended, answers per second in it, front + back CPU ms per answer
     * without their JIT compiler threads, and what those used besides.
     */
    public record Point(double atSeconds, double throughput, double servicesMs, double jitMs) {

        /** The JIT compiler threads' share of the services' CPU in this slice. */
        public double jitShare() {
            return jitMs + servicesMs <= 0 ? Double.NaN : jitMs / (jitMs + servicesMs);
        }
    }

    /** A subject's curve; {@code steady}: whether it flattened before the time was up. */
    public record Curve(String subject, List<Point> points, boolean steady) {
    }

    private WarmUp() {
    }

    public static Curve run(Subject subject, Call call, int clients, Duration slice, Duration atMost,
            Consumer<String> progress) throws InterruptedException {
        return run(subject.name(), subject, call, clients, 0, slice, atMost, 2, progress);
    }

    /**
     * As the other, the curve named {@code label} (a stack warmed more than once, under several loads), warm
     * once a slice from the {@code minSlices}th on is: 1 for a stack warmed before, whose first slice holds
     * no first requests; {@code rate}: the clients paced to that many requests per second together (0: unpaced).
     */
    public static Curve run(String label, Subject subject, Call call, int clients, double rate, Duration slice, Duration atMost,
            int minSlices, Consumer<String> progress) throws InterruptedException {
        var points = new ArrayList<Point>();
        double elapsed = 0;
        boolean steady = false;
        while (!steady && elapsed < atMost.toSeconds()) {
            var cpu = new ProcessUsage.Cpu[2];
            LoadResult load = new LoadGenerator(clients, Duration.ZERO, slice, rate).run(call, line -> { }, opens -> {
                var front = ProcessUsage.cpu(subject.front().pid());
                var back = ProcessUsage.cpu(subject.back().pid());
                cpu[opens ? 0 : 1] = new ProcessUsage.Cpu(front.total() + back.total(), front.jit() + back.jit());
            });
            elapsed += slice.toSeconds();
            var used = cpu[1].minus(cpu[0]);
            double ms = load.ok() == 0 ? Double.NaN : used.work() * 1000 / load.ok();
            double jitMs = load.ok() == 0 ? Double.NaN : used.jit() * 1000 / load.ok();
            points.add(new Point(elapsed, load.throughput(), ms, jitMs));
            progress.accept(String.format("  warm-up %-18s %4.0f s: %,7.0f answers/s, front+back %.3f ms CPU/answer (+%.3f JIT, %.1f%%)",
                    label, elapsed, load.throughput(), ms, jitMs, points.getLast().jitShare() * 100));
            steady = points.size() >= minSlices && steady(points.getLast());
        }
        return new Curve(label, points, steady);
    }

    /**
     * Warm once a slice after the first (which holds the stack's first requests) had the JIT under
     * {@link #JIT_SHARE_LIMIT} of the services' CPU.
     */
    static boolean steady(List<Point> points) {
        return points.size() >= 2 && steady(points.getLast());
    }

    private static boolean steady(Point point) {
        double share = point.jitShare();
        return !Double.isNaN(share) && share < JIT_SHARE_LIMIT;
    }
}
