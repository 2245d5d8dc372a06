package io.ctxprop.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;

/**
 * The span idiom in one place: make the started span current, run the work, record an exception
 * with ERROR status and rethrow it unchanged, end the span in every case.
 */
public final class SpanRunner {

    private SpanRunner() {
    }

    @FunctionalInterface
    public interface SpanWork<T, E extends Throwable> {
        T run(Span span) throws E;
    }

    public static <T, E extends Throwable> T call(Span span, SpanWork<T, E> work) throws E {
        try (Scope ignored = span.makeCurrent()) {
            return work.run(span);
        } catch (Throwable failure) {
            markFailed(span, failure);
            throw failure;
        } finally {
            span.end();
        }
    }

    /** Records the exception and ERROR status without ending the span. */
    public static void markFailed(Span span, Throwable failure) {
        span.recordException(failure);
        span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
    }
}
