package io.ctxprop.bench.carriers;

import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Runs {@link CarrierBenchmark} through JMH and returns ns/op per hop. */
public final class CarrierRun {

    /** One hop's figure: mean ns/op and JMH's 99.9% error half-width. */
    public record HopCost(String carrier, double nanosPerOp, double error) {
    }

    private CarrierRun() {
    }

    /**
     * {@code forks} 0 runs inside this JVM (the smoke run); the real figures come from a forked JVM.
     */
    public static List<HopCost> run(int forks, int iterations, TimeValue iterationTime) throws RunnerException {
        var options = new OptionsBuilder()
                .include(CarrierBenchmark.class.getName())
                .forks(forks)
                .warmupIterations(iterations)
                .warmupTime(iterationTime)
                .measurementIterations(iterations)
                .measurementTime(iterationTime)
                .verbosity(VerboseMode.SILENT)
                .build();
        return new Runner(options).run().stream()
                .map(CarrierRun::cost)
                .sorted(java.util.Comparator.comparing(HopCost::carrier))
                .toList();
    }

    private static HopCost cost(RunResult result) {
        String method = result.getParams().getBenchmark();
        var score = result.getPrimaryResult();
        double error = Double.isNaN(score.getScoreError()) ? 0 : score.getScoreError();
        return new HopCost(method.substring(method.lastIndexOf('.') + 1), score.getScore(), error);
    }
}
