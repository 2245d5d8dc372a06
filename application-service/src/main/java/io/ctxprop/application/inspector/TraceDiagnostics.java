package io.ctxprop.application.inspector;

import io.ctxprop.application.inspector.TraceStore.StoredTrace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Reads a trace the way the Python original's troubleshooting list asks a person to: did every
 * service take part, do all spans hang together, and where did the context get lost.
 */
@Component
public class TraceDiagnostics {

    static final String REQUEST_ID_HEADER = "http.request.header.x-request-id";
    static final String CONVERSATION_ID = "messaging.message.conversation_id";
    static final String REPLY_OUTCOME = "reply.outcome";

    private final TraceStore store;

    TraceDiagnostics(TraceStore store) {
        this.store = store;
    }

    public List<Diagnosis> diagnose(StoredTrace trace) {
        List<SpanRecord> spans = trace.spans();
        Map<String, SpanRecord> byId = spans.stream().collect(Collectors.toMap(SpanRecord::spanId, Function.identity(), (a, b) -> a));
        List<Diagnosis> findings = new ArrayList<>();
        Set<String> services = spans.stream().map(SpanRecord::service).collect(Collectors.toCollection(java.util.TreeSet::new));
        findings.add(Diagnosis.info(spans.size() + " spans from " + services.size() + " service" + (services.size() == 1 ? "" : "s"),
                "Taking part: " + String.join(", ", services) + "."));
        if (trace.droppedSpans() > 0) {
            findings.add(new Diagnosis("warning", trace.droppedSpans() + " spans not kept",
                    "The trace has more spans than the inspector keeps per trace.", "Raise inspector.max-spans-per-trace.", null));
        }
        orphans(spans, byId, findings);
        roots(spans, findings);
        httpHop(trace, spans, findings);
        kafkaHop(trace, spans, findings);
        conflictingReplies(spans, findings);
        failures(spans, findings);
        if (findings.stream().noneMatch(finding -> finding.level().equals("problem") || finding.level().equals("warning"))) {
            findings.add(Diagnosis.ok("The trace holds together", "Every span's parent is here, and every hop was crossed with its context."));
        }
        return findings;
    }

    private static void orphans(List<SpanRecord> spans, Map<String, SpanRecord> byId, List<Diagnosis> findings) {
        for (SpanRecord span : spans) {
            if (!span.isRoot() && !byId.containsKey(span.parentSpanId())) {
                findings.add(new Diagnosis("warning", "Orphan span: " + span.name(),
                        "\"" + span.name() + "\" from " + span.service() + " names the parent span " + span.parentSpanId()
                                + ", which never arrived here. Either the parent's service does not export to this inspector, its batch "
                                + "is not sent yet, or the context came from a caller outside (a script's traceparent).",
                        "Point every service's OTEL_EXPORTER_OTLP_ENDPOINT here (and wait a moment for the batch); "
                                + "a parent from outside is expected for requests that continue someone else's trace.", null));
            }
        }
    }

    private static void roots(List<SpanRecord> spans, List<Diagnosis> findings) {
        List<SpanRecord> roots = spans.stream().filter(SpanRecord::isRoot).toList();
        if (roots.size() > 1) {
            findings.add(new Diagnosis("problem", roots.size() + " root spans in one trace",
                    "Spans " + roots.stream().map(span -> "\"" + span.name() + "\" (" + span.service() + ")").collect(Collectors.joining(", "))
                            + " all start the trace: something started new root spans with a reused trace id.",
                    "Start child spans from the current context (setParent / makeCurrent) instead of setNoParent.", null));
        }
    }

    private void httpHop(StoredTrace trace, List<SpanRecord> spans, List<Diagnosis> findings) {
        for (SpanRecord client : named(spans, "gateway_request")) {
            if (spans.stream().anyMatch(span -> span.parentSpanId().equals(client.spanId()))) {
                continue;
            }
            String requestId = client.attribute(REQUEST_ID_HEADER);
            var separate = requestId.isEmpty() ? List.<StoredTrace>of() : store.othersWith(trace.traceId(),
                    "llm_gateway_process", span -> span.attribute(REQUEST_ID_HEADER).equals(requestId));
            if (!separate.isEmpty()) {
                findings.add(new Diagnosis("problem", "Context was not propagated over HTTP",
                        "The gateway answered this request (x-request-id " + requestId + "), but in a separate trace, "
                                + separate.getFirst().traceId() + ": no traceparent header reached it"
                                + ("false".equals(client.attribute("context_propagated")) ? ", because propagation was switched off." : "."),
                        "Inject the context into the request headers: turn the form's switch or CONTEXT_PROPAGATION_ENABLED on, use the "
                                + "same OTEL_PROPAGATORS on both sides, and make sure no proxy drops traceparent.",
                        separate.getFirst().traceId()));
            } else if (!client.status().equals("ERROR")) {
                findings.add(new Diagnosis("warning", "Missing hop: no gateway span under gateway_request",
                        "The application called the gateway over HTTP, but no span of the gateway arrived for it, in this trace or another.",
                        "Check that the gateway exports to this inspector (OTEL_EXPORTER_OTLP_ENDPOINT) and give it a moment.", null));
            }
        }
    }

    private void kafkaHop(StoredTrace trace, List<SpanRecord> spans, List<Diagnosis> findings) {
        for (SpanRecord send : named(spans, "send llm.requests")) {
            if (spans.stream().anyMatch(span -> span.parentSpanId().equals(send.spanId()))) {
                continue;
            }
            String conversation = send.attribute(CONVERSATION_ID);
            var separate = conversation.isEmpty() ? List.<StoredTrace>of() : store.othersWith(trace.traceId(),
                    "process llm.requests", span -> span.attribute(CONVERSATION_ID).equals(conversation));
            boolean replied = spans.stream().anyMatch(span -> span.name().equals("process llm.replies") && span.attribute(CONVERSATION_ID).equals(conversation));
            if (!separate.isEmpty()) {
                findings.add(new Diagnosis("problem", "Context was not propagated over Kafka",
                        "The gateway processed this request (correlation id " + conversation + "), but in a separate trace, "
                                + separate.getFirst().traceId() + ": the record carried no traceparent header.",
                        "Inject the context into the record headers when producing (the form's switch, CONTEXT_PROPAGATION_ENABLED), "
                                + "and extract it from them when consuming.",
                        separate.getFirst().traceId()));
            } else if (replied) {
                findings.add(new Diagnosis("warning", "Missing hop: the gateway's Kafka spans never arrived",
                        "The reply to this request arrived (correlation id " + conversation + "), so the gateway handled it, but none of "
                                + "its spans are here or in another trace.",
                        "Check that the gateway exports to this inspector (OTEL_EXPORTER_OTLP_ENDPOINT) and give it a moment.", null));
            }
        }
    }

    /** The application marks a reply that disagrees with the request's first one ({@code reply.outcome=conflicting}). */
    private static void conflictingReplies(List<SpanRecord> spans, List<Diagnosis> findings) {
        for (SpanRecord reply : named(spans, "process llm.replies")) {
            if (reply.attribute(REPLY_OUTCOME).equals("conflicting")) {
                findings.add(new Diagnosis("problem", "Two different answers arrived",
                        "The request (correlation id " + reply.attribute(CONVERSATION_ID) + ") got two replies that say different "
                                + "things. The first was shown to the user; this one (" + reply.attribute("messaging.destination.name")
                                + ", offset " + reply.attribute("messaging.kafka.offset") + ") was dropped. Unless the model answered a "
                                + "redelivered request differently, someone else wrote a reply: the one shown may be forged.",
                        "Let no one but the gateway write to the reply topics: run Kafka with authentication and ACLs "
                                + "(./run.sh --secure, docs/kafka.md). The application's log names both records.", null));
            }
        }
    }

    private static void failures(List<SpanRecord> spans, List<Diagnosis> findings) {
        for (SpanRecord span : spans) {
            if (span.status().equals("ERROR")) {
                findings.add(new Diagnosis("problem", "Failed: " + span.name(),
                        "\"" + span.name() + "\" in " + span.service() + " ended with an error"
                                + (span.statusMessage().isEmpty() ? "." : ": " + span.statusMessage()),
                        "Open the span below for its exception event.", null));
            }
        }
    }

    private static List<SpanRecord> named(List<SpanRecord> spans, String name) {
        return spans.stream().filter(span -> span.name().equals(name)).toList();
    }
}
