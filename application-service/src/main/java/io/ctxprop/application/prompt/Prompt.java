package io.ctxprop.application.prompt;

import static io.ctxprop.telemetry.attributes.OpenInferenceAttributes.*;

import io.ctxprop.telemetry.ContentCapture;
import io.ctxprop.telemetry.attributes.SeedAttributes;
import io.ctxprop.telemetry.web.TextLimit;
import io.ctxprop.telemetry.attributes.TransportAttributes;
import io.opentelemetry.api.trace.Span;
import java.util.List;

/**
 * A prompt that passed the input checks ({@code /api/ask} and {@code /api/ask/stream} alike), and
 * what the root span says about it: the prompt and the answers only as far as {@link ContentCapture}
 * allows, the prompt's length always.
 */
record Prompt(String text, Transport transport, boolean propagate) {

    /**
     * Checks the request and describes it on the root span.
     *
     * @throws io.ctxprop.telemetry.web.TracedProblem 400 or 413, before anything is sent anywhere
     */
    static Prompt check(AskRequest request, PromptProperties properties, ContentCapture capture, Span root) {
        root.setAttribute(SPAN_KIND, KIND_CHAIN);
        String text = TextLimit.require(request.text(), properties.maxTextLength());
        Transport transport = Transport.parse(request.transport());
        boolean propagate = properties.propagationEnabled() && request.propagateOrDefault();
        if (capture.inputs()) {
            root.setAttribute(INPUT_VALUE, text);
            root.setAttribute(INPUT_MIME_TYPE, MIME_TEXT);
        }
        root.setAttribute(SeedAttributes.TEXT_LENGTH, (long) text.length());
        root.setAttribute(SeedAttributes.CONTEXT_PROPAGATION_ENABLED, propagate);
        root.setAttribute(TransportAttributes.TRANSPORT, transport.wireName());
        return new Prompt(text, transport, propagate);
    }

    static void describeAnswers(Span root, ContentCapture capture, List<String> answers) {
        if (capture.outputs()) {
            root.setAttribute(OUTPUT_VALUE, String.join("\n", answers));
            root.setAttribute(OUTPUT_MIME_TYPE, MIME_TEXT);
        }
    }
}
