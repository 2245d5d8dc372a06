package io.ctxprop.application.prompt;

/**
 * A prompt as {@code POST /api/ask} and the form send it.
 *
 * @param transport {@code http}, {@code kafka} or {@code both}; {@code http} when absent
 * @param propagate whether to inject the trace context on the hop; true when absent
 */
public record AskRequest(String text, String transport, Boolean propagate) {

    public boolean propagateOrDefault() {
        return propagate == null || propagate;
    }
}
