package io.ctxprop.bench.stack;

/**
 * How a stack's services trace: exporting over OTLP to the harness's sink, or with the SDK switched
 * off ({@code OTEL_SDK_DISABLED=true}), the baseline of the tracing cost.
 */
public enum Tracing {
    ON("on"),
    OFF("off");

    private final String label;

    Tracing(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
