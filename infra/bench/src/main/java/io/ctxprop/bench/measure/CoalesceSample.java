package io.ctxprop.bench.measure;

/**
 * One window of streamed answers over Kafka from a stack whose gateway coalesces chunk records in a
 * {@code coalesce} window ("0": one record per model piece). Per answer figures are over the answers that
 * ended in the window ({@code answers}, whenever they began: a fast model's answer takes half a second,
 * and the work of the window is what the answers ending in it did), as are {@code records}, the records
 * the gateway wrote to the stack's reply topic in the window (chunk records and last records, from the
 * broker's end offsets). Time to first chunk and to the whole answer: of the answers that began and ended
 * in the window; {@code chunksPerAnswer}: the chunk events the application streamed to the client.
 */
public record CoalesceSample(String subject, String coalesce, int round, int clients, double seconds, long answers,
        long errors, long timeouts, long mismatches, double firstChunkP50Ms, double firstChunkP99Ms, double answerP50Ms,
        double chunksPerAnswer, long records, double frontCpuSeconds, double backCpuSeconds, double jitSeconds) {

    public double recordsPerAnswer() {
        return answers == 0 ? Double.NaN : (double) records / answers;
    }

    /** Application and gateway together, CPU milliseconds per streamed answer (without the JIT threads). */
    public double servicesMsPerAnswer() {
        return answers == 0 ? Double.NaN : (frontCpuSeconds + backCpuSeconds) * 1000 / answers;
    }

    public double applicationMsPerAnswer() {
        return answers == 0 ? Double.NaN : frontCpuSeconds * 1000 / answers;
    }

    public double gatewayMsPerAnswer() {
        return answers == 0 ? Double.NaN : backCpuSeconds * 1000 / answers;
    }

    public double throughput() {
        return seconds <= 0 ? Double.NaN : answers / seconds;
    }

    /** The JIT compiler threads' share of the two services' CPU in the window (under 2 %: warm). */
    public double jitShare() {
        double all = frontCpuSeconds + backCpuSeconds + jitSeconds;
        return all <= 0 ? Double.NaN : jitSeconds / all;
    }
}
