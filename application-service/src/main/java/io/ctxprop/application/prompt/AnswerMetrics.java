package io.ctxprop.application.prompt;

import io.ctxprop.telemetry.metrics.Durations;
import io.ctxprop.telemetry.web.TracedProblem;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.semconv.ErrorAttributes;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * The application's own instruments: {@code ctxprop.answer.duration}, the end-to-end latency of one
 * hop's answer by transport and outcome, and {@code ctxprop.requests.in_flight} by transport.
 */
@Component
class AnswerMetrics {

    static final AttributeKey<String> TRANSPORT = AttributeKey.stringKey("transport");

    private final DoubleHistogram answerDuration;
    private final LongUpDownCounter inFlight;

    AnswerMetrics(Meter meter) {
        this.answerDuration = Durations.histogram(meter, "ctxprop.answer.duration", "End-to-end latency of one answer, by transport");
        this.inFlight = meter.upDownCounterBuilder("ctxprop.requests.in_flight").setUnit("{request}")
                .setDescription("Requests waiting for their answer, by transport").build();
    }

    /** Times one hop's answer; a failure is recorded with its HTTP status as error type, and rethrown. */
    Answer measure(Transport hop, Supplier<Answer> ask) {
        Attributes transport = Attributes.of(TRANSPORT, hop.wireName());
        long started = System.nanoTime();
        inFlight.add(1, transport);
        try {
            Answer answer = ask.get();
            answerDuration.record(Durations.secondsSince(started), transport);
            return answer;
        } catch (RuntimeException failure) {
            String type = failure instanceof TracedProblem problem ? Integer.toString(problem.status()) : failure.getClass().getName();
            answerDuration.record(Durations.secondsSince(started), transport.toBuilder().put(ErrorAttributes.ERROR_TYPE, type).build());
            throw failure;
        } finally {
            inFlight.add(-1, transport);
        }
    }
}
