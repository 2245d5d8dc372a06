package io.ctxprop.application.inspector;

import io.ctxprop.application.session.SessionCookieFilter;
import io.ctxprop.telemetry.web.ReadAccessFilter;
import io.ctxprop.telemetry.web.TracedProblem;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * {@code GET /traces} and {@code GET /traces/{traceId}}: the recent traces and one trace's waterfall
 * with its diagnoses, as HTML, or as JSON for {@code Accept: application/json}. Who may read them:
 * {@link InspectorAccessConfiguration}; a caller refused there sees only its own session's traces, in the form's frame:
 * those this service started for the session ({@link TraceStore#startedForSession}), not any trace a span of
 * which carries the session id (anyone may join a trace whose id they learned).
 */
@Controller
class InspectorController {

    static final int LISTED = 100;
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");

    /** One waterfall row in the JSON view, fields in reading order. */
    record RowView(int depth, double offsetPercent, double widthPercent, SpanRecord span) {
    }

    private final TraceStore store;
    private final TraceInspector inspector;

    InspectorController(TraceStore store, TraceInspector inspector) {
        this.store = store;
        this.inspector = inspector;
    }

    /** HTML unless JSON is asked for: browsers and {@code curl} (which accepts anything) get the page. */
    @GetMapping(path = "/traces")
    String traces(@RequestParam(required = false) String status, Model model) {
        model.addAttribute("traces", summaries(status));
        model.addAttribute("stored", store.traceCount());
        model.addAttribute("status", status == null ? "" : status);
        model.addAttribute("outcomes", TraceSummary.OUTCOMES);
        model.addAttribute("now", Instant.now());
        return "traces";
    }

    @GetMapping(path = "/traces", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    List<TraceSummary> tracesJson(@RequestParam(required = false) String status) {
        return summaries(status);
    }

    @GetMapping(path = "/traces/{traceId}", produces = MediaType.TEXT_HTML_VALUE)
    String trace(@PathVariable String traceId, Model model) {
        model.addAttribute("inspection", inspection(traceId));
        return "trace";
    }

    /** The waterfall alone, for the form's frame: waits up to inspector.form-wait for {@code expect} spans. */
    @GetMapping(path = "/traces/{traceId}/embed", produces = MediaType.TEXT_HTML_VALUE)
    String embed(@PathVariable String traceId, @RequestParam(defaultValue = "1") int expect, HttpServletRequest request, Model model) {
        validate(traceId);
        model.addAttribute("traceId", traceId);
        boolean ownOnly = request.getAttribute(ReadAccessFilter.OWN_ONLY) != null;
        String session = SessionCookieFilter.existing(request);
        inspector.awaitAndInspect(traceId, Math.clamp(expect, 1, 1000))
                .filter(inspection -> !ownOnly || (session != null && store.startedForSession(traceId, session)))
                .ifPresent(inspection -> model.addAttribute("inspection", inspection));
        return "trace-embed";
    }

    @GetMapping(path = "/traces/{traceId}", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    Map<String, Object> traceJson(@PathVariable String traceId) {
        var inspection = inspection(traceId);
        var rows = inspection.waterfall().rows().stream()
                .map(row -> new RowView(row.depth(), row.offsetPercent(), row.widthPercent(), row.span())).toList();
        return Map.of("traceId", traceId, "durationMicros", inspection.waterfall().durationMicros(),
                "services", inspection.waterfall().services(), "diagnoses", inspection.diagnoses(), "rows", rows,
                "phoenixLink", inspection.phoenixLink() == null ? "" : inspection.phoenixLink());
    }

    private TraceInspector.Inspection inspection(String traceId) {
        validate(traceId);
        return inspector.inspect(traceId).orElseThrow(() -> new TracedProblem(404, "Trace not found",
                "No span of trace " + traceId + " has arrived here (yet). Traces arrive after the exporters' batch delay, "
                        + "and only the newest ones are kept."));
    }

    private static void validate(String traceId) {
        if (!TRACE_ID.matcher(traceId).matches()) {
            throw new TracedProblem(400, "Not a trace id", "A trace id is 32 lowercase hex characters.");
        }
    }

    /** The newest traces, only those with the given outcome when one is given. */
    private List<TraceSummary> summaries(String status) {
        if (status != null && !status.isEmpty() && !TraceSummary.OUTCOMES.contains(status)) {
            throw new TracedProblem(400, "Unknown status", "status is one of " + String.join(", ", TraceSummary.OUTCOMES) + ".");
        }
        return store.recent(LISTED).stream().map(TraceSummary::of)
                .filter(summary -> status == null || status.isEmpty() || summary.outcome().equals(status)).toList();
    }
}
