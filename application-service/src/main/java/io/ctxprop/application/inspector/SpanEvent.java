package io.ctxprop.application.inspector;

/**
 * An event of a span as the inspector shows it: its name, its time (epoch nanoseconds) and the text
 * of its attributes ({@code exception.message} alone for an exception, else {@code key=value, ...}).
 */
public record SpanEvent(String name, long epochNanos, String detail) {

    /** The name, and the detail if there is one: what the span's table lists. */
    public String text() {
        return detail.isEmpty() ? name : name + ": " + detail;
    }
}
