package io.ctxprop.application.inspector;

import io.ctxprop.application.inspector.TraceStore.StoredTrace;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** What the pages and the form show of one trace: its waterfall and its diagnoses. */
@Component
public class TraceInspector {

    public record Inspection(StoredTrace trace, Waterfall waterfall, List<Diagnosis> diagnoses, String phoenixLink) {
    }

    private final TraceStore store;
    private final TraceDiagnostics diagnostics;
    private final InspectorProperties properties;

    TraceInspector(TraceStore store, TraceDiagnostics diagnostics, InspectorProperties properties) {
        this.store = store;
        this.diagnostics = diagnostics;
        this.properties = properties;
    }

    public Optional<Inspection> inspect(String traceId) {
        return store.find(traceId).map(this::inspection);
    }

    /** For the form: waits up to the configured time for the spans a request of this shape makes. */
    public Optional<Inspection> awaitAndInspect(String traceId, int expectedSpans) {
        try {
            return store.await(traceId, expectedSpans, properties.formWait()).map(this::inspection);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return inspect(traceId);
        }
    }

    /**
     * How many spans of the design's tree a request over these hops puts in its own trace: with the
     * context propagated, both services' spans; without it, the application's alone.
     */
    public static int expectedSpans(List<String> hops, boolean propagated) {
        int spans = 1;
        for (String hop : hops) {
            spans += switch (hop) {
                case "http" -> propagated ? 3 : 1;
                case "kafka" -> propagated ? 6 : 2;
                default -> 0;
            };
        }
        return spans;
    }

    private Inspection inspection(StoredTrace trace) {
        String phoenix = properties.phoenixUiUrl() == null || properties.phoenixUiUrl().isBlank() ? null
                : properties.phoenixUiUrl().replaceAll("/v1/traces/?$", "").replaceAll("/+$", "") + "/redirects/traces/" + trace.traceId();
        return new Inspection(trace, Waterfall.of(trace.traceId(), trace.spans()), diagnostics.diagnose(trace), phoenix);
    }
}
