package io.ctxprop.application.prompt;

import static io.ctxprop.telemetry.attributes.TransportAttributes.TRANSPORT;

import io.ctxprop.telemetry.ContentCapture;
import io.ctxprop.telemetry.propagation.TraceIds;
import io.ctxprop.telemetry.web.TracedProblem;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Answers a prompt over the transports asked for, inside the {@code application_process_request}
 * root span (CHAIN) that the server-span filter opened, and describes the request on it ({@link Prompt}).
 */
@Service
public class AskService {

    private static final Logger LOGGER = LoggerFactory.getLogger(AskService.class);

    public static final String SPAN_NAME = "application_process_request";

    private final Map<Transport, AnswerSource> sources = new EnumMap<>(Transport.class);
    private final PromptProperties properties;
    private final AnswerMetrics metrics;
    private final ContentCapture capture;

    AskService(List<AnswerSource> sources, PromptProperties properties, AnswerMetrics metrics, ContentCapture capture) {
        this.metrics = metrics;
        this.capture = capture;
        sources.forEach(source -> this.sources.put(source.transport(), source));
        this.properties = properties;
        for (Transport transport : Transport.values()) {
            transport.hops().forEach(hop -> {
                if (!this.sources.containsKey(hop)) {
                    throw new IllegalStateException("No AnswerSource for " + hop);
                }
            });
        }
    }

    public AskResponse ask(AskRequest request) {
        Span root = Span.current();
        Prompt prompt = Prompt.check(request, properties, capture, root);

        List<Answer> answers = askOverEveryHop(prompt.transport(), prompt.text(), prompt.propagate());

        Prompt.describeAnswers(root, capture, answers.stream().map(Answer::text).toList());
        LOGGER.debug("Answered over {} (propagation {})", prompt.transport().wireName(), prompt.propagate() ? "on" : "off");
        return new AskResponse(TraceIds.current(), answers);
    }

    /**
     * One hop runs on the caller's thread; {@code both} runs its hops at once on virtual threads that
     * carry the current context, so both subtrees hang under the same root span. The first failure wins.
     */
    private List<Answer> askOverEveryHop(Transport transport, String text, boolean propagate) {
        List<AnswerSource> hops = transport.hops().stream().map(sources::get).toList();
        if (hops.size() == 1) {
            return List.of(ask(hops.getFirst(), text, propagate));
        }
        try (ExecutorService executor = Context.taskWrapping(Executors.newVirtualThreadPerTaskExecutor())) {
            List<Future<Answer>> pending = hops.stream().map(hop -> executor.submit(() -> ask(hop, text, propagate))).toList();
            List<Answer> answers = new ArrayList<>(pending.size());
            for (Future<Answer> answer : pending) {
                answers.add(resultOf(answer));
            }
            return answers;
        }
    }

    private Answer ask(AnswerSource hop, String text, boolean propagate) {
        return metrics.measure(hop.transport(), () -> hop.ask(text, propagate));
    }

    private static Answer resultOf(Future<Answer> answer) {
        try {
            return answer.get();
        } catch (ExecutionException failure) {
            if (failure.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(failure.getCause());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new TracedProblem(503, "Interrupted", "The request was interrupted.", interrupted);
        }
    }

}
