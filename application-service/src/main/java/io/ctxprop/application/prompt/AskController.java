package io.ctxprop.application.prompt;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/ask}: the JSON API of the form. Errors become problem+json with the trace id. */
@RestController
class AskController {

    private final AskService asks;

    AskController(AskService asks) {
        this.asks = asks;
    }

    @PostMapping(path = "/api/ask", consumes = MediaType.APPLICATION_JSON_VALUE)
    AskResponse ask(@RequestBody AskRequest request) {
        return asks.ask(request);
    }
}
