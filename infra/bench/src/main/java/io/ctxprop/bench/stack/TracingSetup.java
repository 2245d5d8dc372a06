package io.ctxprop.bench.stack;

/**
 * How a stack's services trace: the configurations users run, the services without tracing (the
 * baseline of what tracing costs), and the peer users would reach for instead: the OpenTelemetry Java
 * agent on the same services with the project's own tracing switched off.
 */
public enum TracingSetup {
    OFF("off", "no tracing (TELEMETRY_ENABLED=false)"),
    INSPECTOR("inspector", "to the application's trace inspector only, as .env"),
    INSPECTOR_PHOENIX("inspector+phoenix", "to the inspector and a Phoenix endpoint (OTLP/HTTP)"),
    COLLECTOR("collector", "to an OTLP collector only"),
    AGENT("agent", "the OpenTelemetry Java agent to an OTLP collector; the project's tracing off");

    private final String label;
    private final String description;

    TracingSetup(String label, String description) {
        this.label = label;
        this.description = description;
    }

    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    public boolean traced() {
        return this != OFF;
    }

    /** Whether the harness's span sink (standing in for Phoenix or a collector) gets this setup's spans. */
    public boolean sinkSeesSpans() {
        return this == INSPECTOR_PHOENIX || this == COLLECTOR || this == AGENT;
    }
}
