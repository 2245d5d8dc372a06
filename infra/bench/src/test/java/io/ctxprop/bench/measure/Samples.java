package io.ctxprop.bench.measure;

import java.util.Map;

/** Samples with chosen figures, for the report's tests. */
public final class Samples {

    private Samples() {
    }

    /** A sample of 1,000 answers in 10 s whose front and back used {@code frontMs} and {@code backMs} per answer. */
    public static Sample of(String subject, String path, int round, int clients, double frontMs, double backMs, double p50Ms) {
        return traced(subject, path, round, clients, frontMs, backMs, p50Ms, null, null, null, null);
    }

    public static Sample traced(String subject, String path, int round, int clients, double frontMs, double backMs, double p50Ms,
            Long attributes, Integer traces, Integer whole, Long dropped) {
        long answers = 1000;
        return new Sample(subject, path, round, clients, 10, answers, 0, 0, answers / 10.0, p50Ms, p50Ms * 1.5, p50Ms * 2,
                p50Ms * 3, Map.of(Sample.FRONT, frontMs * answers / 1000, Sample.BACK, backMs * answers / 1000,
                        Sample.MODEL, 0.1, Sample.BROKER, 0.2, Sample.BENCH, 0.3),
                Map.of(Sample.FRONT, 0.02, Sample.BACK, 0.03),
                Map.of(Sample.FRONT, 200.0, Sample.BACK, 200.0), answers, attributes == null ? null : answers * 5,
                attributes, attributes == null ? null : answers * 1000, traces, whole, dropped,
                Map.of(Sample.FRONT, 0.05, Sample.BACK, 0.1), 0, null);
    }

    /**
     * 500 streamed answers in 10 s with the chosen percentiles, {@code chunksPerAnswer} chunks each, and
     * {@code errors} failures of which {@code mismatches} had chunks that did not add up.
     */
    public static StreamSample streamed(String subject, String transport, int round, int clients, double firstChunkP50Ms,
            double firstChunkP99Ms, double answerP50Ms, double answerP99Ms, int chunksPerAnswer, long errors, long mismatches) {
        long answers = 500;
        return new StreamSample(subject, transport, round, clients, 10, answers, errors, 0, mismatches, answers / 10.0,
                firstChunkP50Ms, firstChunkP99Ms, answerP50Ms, answerP99Ms, answers * chunksPerAnswer,
                subject.equals("off") ? null : 500, subject.equals("off") ? null : 500);
    }

    /** As {@link #of}, with throughput, errors and timeouts chosen (the slow model's target). */
    public static Sample slow(String path, double throughput, long errors, long timeouts, int traces, int whole, long dropped) {
        long answers = (long) (throughput * 20);
        return new Sample("slow", path, 1, 1000, 20, answers, errors, timeouts, throughput, 1000, 1100, 1200, 1300,
                Map.of(Sample.FRONT, 1.0, Sample.BACK, 1.0), Map.of(), Map.of(), answers, 10L, 10L, 10L, traces, whole, dropped, Map.of(), 0, null);
    }
}
