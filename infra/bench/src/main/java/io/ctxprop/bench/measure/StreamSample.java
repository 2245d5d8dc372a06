package io.ctxprop.bench.measure;

/**
 * One measurement window of streamed answers ({@code POST /api/ask/stream}) from one subject over one
 * transport: the answers that started and ended inside it, the time to their first chunk and to their
 * whole answer, their chunks, and the requests that failed (chunks that did not add up to their
 * answer among them). Trace figures are null where the span sink does not see the subject's spans.
 */
public record StreamSample(String subject, String transport, int round, int clients, double seconds, long answers,
        long errors, long timeouts, long mismatches, double throughput, double firstChunkP50Ms, double firstChunkP99Ms,
        double answerP50Ms, double answerP99Ms, long chunks, Integer traces, Integer tracesWhole) {

    public double chunksPerAnswer() {
        return answers == 0 ? Double.NaN : (double) chunks / answers;
    }
}
