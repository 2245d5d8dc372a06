package io.ctxprop.application.prompt;

import io.ctxprop.application.gateway.GatewayProperties;
import io.ctxprop.application.inspector.TraceInspector;
import io.ctxprop.telemetry.propagation.TraceIds;
import io.ctxprop.telemetry.web.TracedProblem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The web form: a plain HTML form post, so it works without JavaScript. The result shows the answers
 * and, in a frame, the trace's waterfall: the frame is loaded after this response, once the request's
 * root span has ended, and waits briefly for the exporters to deliver the spans. With JavaScript on,
 * {@code /js/ask-stream.js} streams the answers from {@code POST /api/ask/stream} instead; what it needs
 * to know (the spans each choice makes, for the frame) it reads from the form's data attributes.
 */
@Controller
class FormController {

    private final AskService asks;
    private final PromptProperties properties;
    private final String gatewayPage;

    FormController(AskService asks, PromptProperties properties, GatewayProperties gateway) {
        this.asks = asks;
        this.properties = properties;
        this.gatewayPage = gateway.url().resolve("/").toString();
    }

    @GetMapping("/")
    String form(Model model) {
        model.addAttribute("text", "");
        model.addAttribute("transport", "http");
        model.addAttribute("propagate", properties.propagationEnabled());
        return page(model);
    }

    @PostMapping("/ask")
    String ask(@RequestParam(defaultValue = "") String text, @RequestParam(defaultValue = "http") String transport,
            @RequestParam(defaultValue = "false") boolean propagate, Model model) {
        model.addAttribute("text", text);
        model.addAttribute("transport", transport);
        model.addAttribute("propagate", propagate);
        try {
            AskResponse result = asks.ask(new AskRequest(text, transport, propagate));
            model.addAttribute("result", result);
            boolean propagated = propagate && properties.propagationEnabled();
            model.addAttribute("expectedSpans", TraceInspector.expectedSpans(
                    Transport.parse(transport).hops().stream().map(Transport::wireName).toList(), propagated));
        } catch (TracedProblem problem) {
            model.addAttribute("error", problem.title() + ": " + problem.getMessage());
            model.addAttribute("errorTraceId", TraceIds.current());
        }
        return page(model);
    }

    private String page(Model model) {
        model.addAttribute("maxTextLength", properties.maxTextLength());
        model.addAttribute("propagationEnabled", properties.propagationEnabled());
        model.addAttribute("spansByChoice", spansByChoice());
        model.addAttribute("gatewayPage", gatewayPage);
        return "index";
    }

    /** The spans each transport makes with the context propagated ({@code http}) and without ({@code http-unpropagated}). */
    private static Map<String, Integer> spansByChoice() {
        Map<String, Integer> spans = new LinkedHashMap<>();
        for (Transport transport : Transport.values()) {
            List<String> hops = transport.hops().stream().map(Transport::wireName).toList();
            spans.put(transport.wireName(), TraceInspector.expectedSpans(hops, true));
            spans.put(transport.wireName() + "-unpropagated", TraceInspector.expectedSpans(hops, false));
        }
        return spans;
    }
}
