package io.ctxprop.application.prompt;

import io.ctxprop.telemetry.ContentCapture;
import io.ctxprop.telemetry.propagation.TraceIds;
import io.ctxprop.telemetry.streaming.ServerSentEvents;
import io.ctxprop.telemetry.streaming.ServerSentEvents.ReaderGone;
import io.ctxprop.telemetry.streaming.StreamingAttributes;
import io.ctxprop.telemetry.web.TracedProblem;
import io.ctxprop.telemetry.attributes.TransportAttributes;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.semconv.ErrorAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Streams a prompt's answer over the transports asked for, as server-sent events written on the
 * request's thread inside the root span ({@code both}: two virtual threads that carry its context, into
 * the one thread-safe writer): {@code chunk}s as they arrive, an {@code answer} or an {@code error} per
 * transport, {@code done} with the trace id last. A reader who leaves cancels every hop still running.
 */
@Service
public class AskStreamService {

    private static final Logger LOGGER = LoggerFactory.getLogger(AskStreamService.class);

    private final Map<Transport, StreamingAnswerSource> sources = new EnumMap<>(Transport.class);
    private final PromptProperties properties;
    private final AnswerMetrics metrics;
    private final ContentCapture capture;
    private final JsonMapper json;

    AskStreamService(List<StreamingAnswerSource> sources, PromptProperties properties, AnswerMetrics metrics, ContentCapture capture,
            JsonMapper json) {
        sources.forEach(source -> this.sources.put(source.transport(), source));
        this.properties = properties;
        this.metrics = metrics;
        this.capture = capture;
        this.json = json;
    }

    /** The input checks of {@code /api/ask}, made before any stream starts (their problems are problem+json). */
    Prompt check(AskRequest request) {
        Prompt prompt = Prompt.check(request, properties, capture, Span.current());
        Span.current().setAttribute(StreamingAttributes.STREAMED, true);
        return prompt;
    }

    /** Writes the whole stream; returns when it is over or the reader has gone. */
    void stream(Prompt prompt, ServerSentEvents events) {
        Span root = Span.current();
        List<Transport> hops = prompt.transport().hops();
        String[] answers = new String[hops.size()];
        AtomicBoolean gone = new AtomicBoolean();
        if (hops.size() == 1) {
            answers[0] = streamHop(hops.getFirst(), prompt, events, root, gone);
        } else {
            try (ExecutorService executor = Context.taskWrapping(Executors.newVirtualThreadPerTaskExecutor())) {
                List<Future<?>> running = new CopyOnWriteArrayList<>();
                for (int i = 0; i < hops.size(); i++) {
                    int hop = i;
                    running.add(executor.submit(() -> {
                        answers[hop] = streamHop(hops.get(hop), prompt, events, root, gone);
                        if (gone.get()) {
                            // the other hop may be waiting for its gateway, not writing: it learns of the reader now
                            running.forEach(other -> other.cancel(true));
                        }
                    }));
                }
            }
        }
        Prompt.describeAnswers(root, capture, Arrays.stream(answers).filter(Objects::nonNull).toList());
        if (gone.get()) {
            root.setAttribute(StreamingAttributes.OUTCOME, "cancelled");
            LOGGER.debug("The reader of a stream over {} went away", prompt.transport().wireName());
            return;
        }
        try {
            events.send("done", json.writeValueAsString(Map.of("traceId", Objects.requireNonNullElse(TraceIds.current(), ""))));
        } catch (ReaderGone left) {
            root.setAttribute(StreamingAttributes.OUTCOME, "cancelled");
        }
        LOGGER.debug("Streamed over {} (propagation {})", prompt.transport().wireName(), prompt.propagate() ? "on" : "off");
    }

    /** One hop's events; returns its whole answer, or null when it failed or the reader went away (then {@code gone} is set). */
    private String streamHop(Transport hop, Prompt prompt, ServerSentEvents events, Span root, AtomicBoolean gone) {
        String transport = hop.wireName();
        long started = System.nanoTime();
        long[] firstChunk = {-1};
        try {
            Answer answer = metrics.measure(hop, () -> sources.get(hop).stream(prompt.text(), prompt.propagate(), piece -> {
                if (firstChunk[0] < 0) {
                    firstChunk[0] = System.nanoTime();
                    root.addEvent(StreamingAttributes.FIRST_CHUNK_EVENT, Attributes.of(TransportAttributes.TRANSPORT, transport));
                    metrics.firstChunk(hop, started);
                }
                events.send("chunk", json.writeValueAsString(ordered("transport", transport, "text", piece)));
            }));
            long firstChunkMs = firstChunk[0] < 0 ? answer.latencyMs() : (firstChunk[0] - started) / 1_000_000;
            events.send("answer", json.writeValueAsString(ordered("transport", transport, "text", answer.text(), "model", answer.model(),
                    "latencyMs", answer.latencyMs(), "firstChunkMs", firstChunkMs)));
            return answer.text();
        } catch (ReaderGone left) {
            gone.set(true);
            return null;
        } catch (RuntimeException failure) {
            if (firstChunk[0] < 0) {
                metrics.noFirstChunk(hop, started, failure);
            }
            TracedProblem problem = failure instanceof TracedProblem traced ? traced : unexpected(failure);
            root.setStatus(StatusCode.ERROR, transport + ": " + problem.getMessage());
            root.setAttribute(ErrorAttributes.ERROR_TYPE, Integer.toString(problem.status()));
            root.setAttribute(StreamingAttributes.OUTCOME, "failed");
            try {
                events.send("error", json.writeValueAsString(ordered("type", "about:blank", "title", problem.title(), "status", problem.status(),
                        "detail", problem.getMessage(), "traceId", Objects.requireNonNullElse(TraceIds.current(), ""), "transport", transport)));
            } catch (ReaderGone left) {
                gone.set(true);
            }
            return null;
        }
    }

    private static TracedProblem unexpected(RuntimeException failure) {
        LOGGER.error("Unexpected failure while streaming", failure);
        return new TracedProblem(500, "Internal error", "The service failed unexpectedly; the trace id leads to the details.", failure);
    }

    private static Map<String, Object> ordered(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
