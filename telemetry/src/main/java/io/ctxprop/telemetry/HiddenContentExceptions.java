package io.ctxprop.telemetry;

import io.ctxprop.telemetry.web.TracedProblem;
import io.opentelemetry.sdk.common.internal.ExceptionAttributeResolver;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * How every recorded exception is described on a span while {@link ContentCapture} hides prompts or
 * answers. An exception's message can quote what it was given: a model server's validation error
 * echoes the prompt into openai-java's exception, and openai-java quotes a field of the answer it
 * could not read; the openai-java instrumentation records such exceptions on the {@code chat} span
 * itself. So only this project's own messages are kept, those of {@link TracedProblem}, which are
 * written never to quote content; every other exception, causes included, is described by its type
 * and stack alone.
 *
 * <p>Registered on the tracer provider, so it holds for every span of the service, whoever records
 * the exception. The SDK offers this hook in an internal package: the SDK version is pinned in the
 * root pom, and the services' hidden-content tests fail if the hook stops working.
 */
final class HiddenContentExceptions implements ExceptionAttributeResolver {

    @Override
    public void setExceptionAttributes(AttributeSetter attributes, Throwable exception, int maxAttributeLength) {
        attributes.setAttribute(EXCEPTION_TYPE, exception.getClass().getName());
        String message = ownMessage(exception);
        if (message != null) {
            attributes.setAttribute(EXCEPTION_MESSAGE, message);
        }
        attributes.setAttribute(EXCEPTION_STACKTRACE, stackTrace(exception));
    }

    /** Like {@link Throwable#printStackTrace()}: every frame of every cause, with no message but our own. */
    static String stackTrace(Throwable exception) {
        StringBuilder trace = new StringBuilder();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable current = exception; current != null && seen.add(current); current = current.getCause()) {
            if (current != exception) {
                trace.append("Caused by: ");
            }
            trace.append(current.getClass().getName());
            String message = ownMessage(current);
            if (message != null) {
                trace.append(": ").append(message);
            }
            trace.append('\n');
            for (StackTraceElement frame : current.getStackTrace()) {
                trace.append("\tat ").append(frame).append('\n');
            }
        }
        return trace.toString();
    }

    private static String ownMessage(Throwable exception) {
        return exception instanceof TracedProblem ? exception.getMessage() : null;
    }
}
