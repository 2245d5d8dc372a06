package io.ctxprop.gateway.process;

import io.ctxprop.gateway.completion.Completion;
import io.ctxprop.telemetry.streaming.ServerSentEvents;
import io.ctxprop.telemetry.web.TracedProblem;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The answer of {@code POST /process/stream} as {@code text/event-stream}, written on the request
 * thread: nothing until the prompt passed the checks (bad input is still answered as problem+json),
 * then {@code chunk} events, then {@code done} or {@code error}.
 */
final class EventStreamAnswer implements AnswerSink {

    private final HttpServletResponse response;
    private final JsonMapper json;
    private ServerSentEvents events;

    EventStreamAnswer(HttpServletResponse response, JsonMapper json) {
        this.response = response;
        this.json = json;
    }

    @Override
    public void begin() {
        response.setStatus(200);
        response.setContentType(ServerSentEvents.CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        try {
            events = new ServerSentEvents(response.getOutputStream());
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    boolean begun() {
        return events != null;
    }

    /** @throws ServerSentEvents.ReaderGone when the reader left */
    @Override
    public void piece(String text) {
        events.send("chunk", json.writeValueAsString(Map.of("text", text)));
    }

    void done(Completion completion) {
        var done = new LinkedHashMap<String, Object>();
        done.put("response", completion.text());
        done.put("model", completion.model());
        events.send("done", json.writeValueAsString(done));
    }

    void error(TracedProblem problem) {
        var error = new LinkedHashMap<String, Object>();
        error.put("error", problem.getMessage());
        error.put("status", problem.status());
        events.send("error", json.writeValueAsString(error));
    }
}
