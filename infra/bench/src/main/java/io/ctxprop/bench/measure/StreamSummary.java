package io.ctxprop.bench.measure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Streamed answers of a subject over a transport at one concurrency, over its rounds: the median of
 * the rounds' time to first chunk and whole-answer percentiles (p50 with the lowest and highest round),
 * chunks per answer over every answer, and every failure summed.
 */
public record StreamSummary(String subject, String transport, int clients, Spread firstChunkP50Ms, double firstChunkP99Ms,
        Spread answerP50Ms, double answerP99Ms, double chunksPerAnswer, double throughput, long answers, long errors,
        long timeouts, long mismatches, Integer traces, Integer tracesWhole) {

    /** One summary per subject, transport and concurrency, in the order the samples first appear. */
    public static List<StreamSummary> of(List<StreamSample> samples) {
        var groups = new LinkedHashMap<String, List<StreamSample>>();
        samples.forEach(s -> groups.computeIfAbsent(s.subject() + "|" + s.transport() + "|" + s.clients(),
                k -> new ArrayList<>()).add(s));
        return groups.values().stream().map(StreamSummary::of1).toList();
    }

    private static StreamSummary of1(List<StreamSample> rounds) {
        StreamSample first = rounds.getFirst();
        long answers = rounds.stream().mapToLong(StreamSample::answers).sum();
        long chunks = rounds.stream().mapToLong(StreamSample::chunks).sum();
        var traces = rounds.stream().map(StreamSample::traces).filter(Objects::nonNull).toList();
        var whole = rounds.stream().map(StreamSample::tracesWhole).filter(Objects::nonNull).toList();
        return new StreamSummary(first.subject(), first.transport(), first.clients(),
                spread(rounds, StreamSample::firstChunkP50Ms), spread(rounds, StreamSample::firstChunkP99Ms).median(),
                spread(rounds, StreamSample::answerP50Ms), spread(rounds, StreamSample::answerP99Ms).median(),
                answers == 0 ? Double.NaN : (double) chunks / answers,
                spread(rounds, StreamSample::throughput).median(), answers,
                rounds.stream().mapToLong(StreamSample::errors).sum(), rounds.stream().mapToLong(StreamSample::timeouts).sum(),
                rounds.stream().mapToLong(StreamSample::mismatches).sum(),
                traces.isEmpty() ? null : traces.stream().mapToInt(Integer::intValue).sum(),
                whole.isEmpty() ? null : whole.stream().mapToInt(Integer::intValue).sum());
    }

    private static Spread spread(List<StreamSample> rounds, ToDoubleFunction<StreamSample> figure) {
        return Spread.of(rounds.stream().map(figure::applyAsDouble).toList());
    }
}
