package io.ctxprop.bench.load;

/**
 * How one request ended, with what a streamed answer adds: when its first chunk came, in nanoseconds
 * after the request was sent (-1 when the answer was not streamed), and how many chunks it had.
 */
public record Answer(Outcome outcome, long firstChunkNanos, int chunks) {

    /** A request whose answer came whole. */
    public static Answer of(Outcome outcome) {
        return new Answer(outcome, -1, 0);
    }

    public static Answer streamed(long firstChunkNanos, int chunks) {
        return new Answer(Outcome.OK, firstChunkNanos, chunks);
    }
}
