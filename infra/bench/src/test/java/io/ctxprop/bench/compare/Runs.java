package io.ctxprop.bench.compare;

import io.ctxprop.bench.measure.Sample;
import io.ctxprop.bench.measure.Spread;
import io.ctxprop.bench.measure.Summary;
import io.ctxprop.bench.report.BenchReport;
import io.ctxprop.bench.report.ReportFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs with chosen ratios and JIT shares, written by the bench's own writer, for the comparison's tests. */
public final class Runs {

    private Runs() {
    }

    /** A ratio of inspector+phoenix over off at 16 clients on one path. */
    public static Ratio ratio(String name, String path, double value) {
        return ratio(name, path, 16, value);
    }

    public static Ratio ratio(String name, String path, int clients, double value) {
        return new Ratio(name, "inspector+phoenix", "off", path, clients, clients, value, Spread.of(List.of(value)), 0.9, 0.8, 0.01);
    }

    /** A window of 1,000 answers whose services' JIT compiler threads used {@code jitShare} of their CPU (1 s in all). */
    public static Sample window(String subject, double jitShare) {
        return window(subject, jitShare, 1);
    }

    /** As {@link #window(String, double)}, the services (JIT included) using {@code cpuSeconds}. */
    public static Sample window(String subject, double jitShare, double cpuSeconds) {
        return new Sample(subject, "http", 1, 16, 10, 1000, 0, 0, 100, 1, 1.5, 2, 3,
                Map.of(Sample.FRONT, (1 - jitShare) * cpuSeconds, Sample.BACK, 0.0), Map.of(Sample.FRONT, jitShare * cpuSeconds, Sample.BACK, 0.0),
                Map.of(), 1000, null, null, null, null, null, null, Map.of(), 0, null);
    }

    /** A window whose JIT was not read (a streamed or a failed reading). */
    public static Sample windowWithoutJit(String subject) {
        return new Sample(subject, "http", 1, 16, 10, 1000, 0, 0, 100, 1, 1.5, 2, 3,
                Map.of(Sample.FRONT, 5.0, Sample.BACK, 5.0), Map.of(), Map.of(), 1000, null, null, null, null, null, null, Map.of(), 0, null);
    }

    public static BenchReport report(String started, List<Ratio> ratios, List<Sample> samples) {
        return report(started, ratios, samples, List.of());
    }

    /** As the other, with {@code setAside}: windows measured again for their JIT. */
    public static BenchReport report(String started, List<Ratio> ratios, List<Sample> samples, List<Sample> setAside) {
        var machine = new LinkedHashMap<String, String>();
        machine.put("cpu", "Test CPU");
        machine.put("cores", "2");
        return new BenchReport("infra/bench/bench.sh", started, 21.5, machine, "", 16, 1000, Map.of(), List.of(), samples,
                Summary.of(samples), List.of(), List.of(), 100, 20, List.of(), List.of(), ratios, List.of(), setAside);
    }

    /** Writes the report's results.json (and results.md) into {@code folder} as a run does; the json's path. */
    public static Path write(Path folder, BenchReport report) throws IOException {
        ReportFiles.write(report, folder);
        return folder.resolve("results.json");
    }
}
