package io.ctxprop.bench.load;

/** One request whose answer is streamed, made and read to its end by one simulated client (closed loop). */
@FunctionalInterface
public interface StreamedCall {

    /** Makes the request, reads its answer to the end and tells how it went; an exception counts as an error. */
    Answer call() throws Exception;
}
