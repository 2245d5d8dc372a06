package io.ctxprop.telemetry.kafka;

import io.ctxprop.telemetry.propagation.TraceContextProblem;
import io.ctxprop.telemetry.propagation.TraceIds;
import io.opentelemetry.context.Context;
import java.util.List;

/**
 * The context a received record carried, as far as it could be used, and what was wrong with its
 * trace headers ({@link TraceContextProblem} codes; empty when all was well).
 */
public record InboundContext(Context context, List<String> problems) {

    public InboundContext {
        problems = List.copyOf(problems);
    }

    /** True when the record continues the sender's trace. */
    public boolean continuesTrace() {
        return TraceIds.isRemoteParent(context);
    }
}
