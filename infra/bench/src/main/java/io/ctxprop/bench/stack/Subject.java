package io.ctxprop.bench.stack;

import io.ctxprop.bench.process.Measured;
import java.util.List;
import java.util.Optional;

/**
 * What a scenario drives: a front service answering {@code POST /api/ask} and the back service it
 * asks over HTTP or Kafka, both measured, and the model the back service calls.
 */
public interface Subject {

    /** The name in the report: a tracing setup's label, or {@code raw}. */
    String name();

    /** Where {@code /api/ask} is served. */
    String url();

    /** The front service (the application, or the raw front). */
    Measured front();

    /** The back service (the gateway, or the raw gateway). */
    Measured back();

    /** The span sink that sees this subject's spans, where one does: its samples count and check them there. */
    default Optional<SpanSink> spanSink() {
        return Optional.empty();
    }

    /** Whether a whole trace of {@code traceId} reached the sink; only asked where the sink sees the spans. */
    boolean wholeTrace(AskPath path, SpanSink sink, String traceId);
}
