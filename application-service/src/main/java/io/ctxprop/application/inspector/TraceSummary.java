package io.ctxprop.application.inspector;

import io.ctxprop.application.inspector.TraceStore.StoredTrace;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of the trace list: what a person scans for to tell traces apart without opening them.
 *
 * @param shortId   the first 8 hex digits of the trace id (enough to tell the listed traces apart)
 * @param prompt    the first words of the prompt, empty when the prompt is hidden or there is none
 * @param transports the hops the request took ({@code http}, {@code kafka})
 * @param httpStatus the root's HTTP status, 0 when the root is not an HTTP server span
 * @param outcome   {@code ok}, {@code 4xx}, {@code 5xx} (from the HTTP status) or {@code error} (an ERROR span)
 */
public record TraceSummary(String traceId, String shortId, String root, String prompt, List<String> transports,
        int httpStatus, String outcome, List<String> services, int spans, long durationMicros, Instant firstSeen) {

    static final int PROMPT_WORDS = 8;
    static final int PROMPT_CHARACTERS = 60;
    static final List<String> OUTCOMES = List.of("ok", "4xx", "5xx", "error");
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    static TraceSummary of(StoredTrace trace) {
        List<SpanRecord> spans = trace.spans();
        SpanRecord root = spans.stream().filter(SpanRecord::isRoot).findFirst().orElse(null);
        String rootName = root != null ? root.name() : spans.isEmpty() ? "" : spans.getFirst().name() + " (no root)";
        long start = spans.stream().mapToLong(SpanRecord::startNanos).min().orElse(0);
        long end = spans.stream().mapToLong(SpanRecord::endNanos).max().orElse(start);
        int status = root == null ? 0 : parseStatus(root.attribute("http.response.status_code"));
        boolean failed = spans.stream().anyMatch(span -> span.status().equals("ERROR"));
        return new TraceSummary(trace.traceId(), trace.traceId().substring(0, Math.min(8, trace.traceId().length())), rootName,
                root == null ? "" : firstWords(root.attribute("input.value")), transports(spans), status,
                status >= 500 ? "5xx" : status >= 400 ? "4xx" : failed ? "error" : "ok",
                spans.stream().map(SpanRecord::service).distinct().sorted().toList(), spans.size(), (end - start) / 1000,
                trace.firstSeen());
    }

    /** "12:03:41", in the server's time zone. */
    public String clock() {
        return CLOCK.format(firstSeen);
    }

    /** "3 s ago", "4 min ago", "2 h ago". */
    public String age(Instant now) {
        long seconds = Math.max(0, Duration.between(firstSeen, now).toSeconds());
        if (seconds < 60) {
            return seconds + " s ago";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min ago";
        }
        return seconds / 3600 + " h ago";
    }

    private static List<String> transports(List<SpanRecord> spans) {
        List<String> transports = new ArrayList<>(2);
        if (spans.stream().anyMatch(span -> span.hop().equals("HTTP") && (span.kind().equals("CLIENT") || span.name().equals("llm_gateway_process")))) {
            transports.add("http");
        }
        if (spans.stream().anyMatch(span -> span.hop().equals("Kafka"))) {
            transports.add("kafka");
        }
        return transports;
    }

    static String firstWords(String text) {
        if (text.isBlank()) {
            return "";
        }
        String[] words = text.strip().split("\\s+");
        String first = String.join(" ", java.util.Arrays.copyOf(words, Math.min(words.length, PROMPT_WORDS)));
        if (first.length() > PROMPT_CHARACTERS) {
            return first.substring(0, PROMPT_CHARACTERS) + "…";
        }
        return words.length > PROMPT_WORDS ? first + " …" : first;
    }

    private static int parseStatus(String value) {
        try {
            return value.isEmpty() ? 0 : Integer.parseInt(value);
        } catch (NumberFormatException notANumber) {
            return 0;
        }
    }
}
