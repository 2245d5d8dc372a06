package io.ctxprop.gateway.process;

import io.ctxprop.gateway.completion.ModelCallCancelled;
import io.ctxprop.gateway.completion.StreamCancellation;
import io.ctxprop.telemetry.streaming.ServerSentEvents;
import io.ctxprop.telemetry.web.TracedProblem;
import io.opentelemetry.api.trace.Span;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /process}: the synchronous hop, and {@code POST /process/stream}: the same answer as
 * server-sent events as the model writes it. The {@code llm_gateway_process} SERVER span was opened
 * from the request's headers by the server-span filter; this adds the work to it.
 */
@RestController
class ProcessController {

    record ProcessRequest(String text) {
    }

    record ProcessResponse(String response, String model) {
    }

    private final LlmGatewayProcess process;
    private final JsonMapper json;

    ProcessController(LlmGatewayProcess process, JsonMapper json) {
        this.process = process;
        this.json = json;
    }

    @PostMapping(path = "/process", consumes = MediaType.APPLICATION_JSON_VALUE)
    ProcessResponse process(@RequestBody ProcessRequest request) {
        var completion = process.process(request.text(), "http", Span.current());
        return new ProcessResponse(completion.text(), completion.model());
    }

    /**
     * Written synchronously on the request thread, so the server span covers the whole stream. A
     * reader that leaves makes the next write fail, which cancels the model call at once.
     */
    @PostMapping(path = "/process/stream", consumes = MediaType.APPLICATION_JSON_VALUE)
    void stream(@RequestBody ProcessRequest request, HttpServletResponse response) {
        var answer = new EventStreamAnswer(response, json);
        try {
            try {
                answer.done(process.stream(request.text(), "http", Span.current(), new StreamCancellation(), answer));
            } catch (TracedProblem problem) {
                if (!answer.begun()) {
                    throw problem; // bad input: problem+json, before any stream
                }
                answer.error(problem);
            }
        } catch (ModelCallCancelled | ServerSentEvents.ReaderGone readerGone) {
            // the reader left: nothing more to write, and the model call is already stopped
        }
    }
}
