package io.ctxprop.application.prompt;

import io.ctxprop.telemetry.streaming.ServerSentEvents;
import io.ctxprop.telemetry.streaming.StreamingAttributes;
import io.opentelemetry.api.trace.Span;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/ask/stream}: the answer as server-sent events, written on the request's thread
 * inside its root span. Bad input is problem+json with the trace id, before any stream starts.
 */
@RestController
class AskStreamController {

    private final AskStreamService streams;

    AskStreamController(AskStreamService streams) {
        this.streams = streams;
    }

    @PostMapping(path = "/api/ask/stream", consumes = MediaType.APPLICATION_JSON_VALUE)
    void stream(@RequestBody AskRequest request, HttpServletResponse response) throws IOException {
        Prompt prompt = streams.check(request);
        response.setContentType(ServerSentEvents.CONTENT_TYPE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        // a reverse proxy (nginx) would otherwise hold the events back until its buffer fills
        response.setHeader("X-Accel-Buffering", "no");
        try {
            response.flushBuffer(); // the status and headers now: the reader knows the stream has begun before the first chunk
        } catch (IOException readerGone) {
            Span.current().setAttribute(StreamingAttributes.OUTCOME, "cancelled");
            return;
        }
        streams.stream(prompt, new ServerSentEvents(response.getOutputStream()));
    }
}
