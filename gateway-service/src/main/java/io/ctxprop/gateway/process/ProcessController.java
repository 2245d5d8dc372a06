package io.ctxprop.gateway.process;

import io.opentelemetry.api.trace.Span;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /process}: the synchronous hop. The {@code llm_gateway_process} SERVER span was opened
 * from the request's headers by the server-span filter; this adds the work to it.
 */
@RestController
class ProcessController {

    record ProcessRequest(String text) {
    }

    record ProcessResponse(String response, String model) {
    }

    private final LlmGatewayProcess process;

    ProcessController(LlmGatewayProcess process) {
        this.process = process;
    }

    @PostMapping(path = "/process", consumes = MediaType.APPLICATION_JSON_VALUE)
    ProcessResponse process(@RequestBody ProcessRequest request) {
        var completion = process.process(request.text(), "http", Span.current());
        return new ProcessResponse(completion.text(), completion.model());
    }
}
