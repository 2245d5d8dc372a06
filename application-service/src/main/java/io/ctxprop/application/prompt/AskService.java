package io.ctxprop.application.prompt;

import static io.ctxprop.telemetry.attributes.OpenInferenceAttributes.*;

import io.ctxprop.telemetry.attributes.SeedAttributes;
import io.ctxprop.telemetry.propagation.TraceIds;
import io.ctxprop.telemetry.web.TextLimit;
import io.ctxprop.telemetry.web.TracedProblem;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Answers a prompt over the transports asked for, inside the {@code application_process_request}
 * root span (CHAIN) that the server-span filter opened, and describes the request on it.
 */
@Service
public class AskService {

    private static final Logger LOGGER = LoggerFactory.getLogger(AskService.class);

    public static final String SPAN_NAME = "application_process_request";
    static final AttributeKey<String> TRANSPORT = AttributeKey.stringKey("transport");

    private final Map<Transport, AnswerSource> sources = new EnumMap<>(Transport.class);
    private final PromptProperties properties;

    AskService(List<AnswerSource> sources, PromptProperties properties) {
        sources.forEach(source -> this.sources.put(source.transport(), source));
        this.properties = properties;
    }

    public AskResponse ask(AskRequest request) {
        Span root = Span.current();
        root.setAttribute(SPAN_KIND, KIND_CHAIN);
        String text = TextLimit.require(request.text(), properties.maxTextLength());
        Transport transport = Transport.parse(request.transport());
        boolean propagate = properties.propagationEnabled() && request.propagateOrDefault();
        root.setAttribute(INPUT_VALUE, text);
        root.setAttribute(INPUT_MIME_TYPE, MIME_TEXT);
        root.setAttribute(SeedAttributes.TEXT_LENGTH, (long) text.length());
        root.setAttribute(SeedAttributes.CONTEXT_PROPAGATION_ENABLED, propagate);
        root.setAttribute(TRANSPORT, transport.wireName());

        List<Answer> answers = transport.hops().stream().map(hop -> sourceFor(hop).ask(text, propagate)).toList();

        root.setAttribute(OUTPUT_VALUE, answers.stream().map(Answer::text).collect(Collectors.joining("\n")));
        root.setAttribute(OUTPUT_MIME_TYPE, MIME_TEXT);
        LOGGER.info("Answered over {} (propagation {})", transport.wireName(), propagate ? "on" : "off");
        return new AskResponse(TraceIds.current(), answers);
    }

    private AnswerSource sourceFor(Transport hop) {
        AnswerSource source = sources.get(hop);
        if (source == null) {
            throw new TracedProblem(501, "Transport not available",
                    "This build of the application cannot send over " + hop.wireName() + " yet.");
        }
        return source;
    }
}
