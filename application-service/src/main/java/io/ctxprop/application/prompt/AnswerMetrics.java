package io.ctxprop.application.prompt;

import static io.ctxprop.telemetry.attributes.TransportAttributes.TRANSPORT;

import io.ctxprop.telemetry.metrics.Durations;
import io.ctxprop.telemetry.streaming.ServerSentEvents;
import io.ctxprop.telemetry.web.TracedProblem;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.semconv.ErrorAttributes;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * The application's own instruments: {@code ctxprop.answer.duration}, the end-to-end latency of one
 * hop's answer by transport and outcome, {@code ctxprop.answer.time_to_first_chunk} of a streamed
 * answer likewise, and {@code ctxprop.requests.in_flight} by transport.
 */
@Component
class AnswerMetrics {


    private final DoubleHistogram answerDuration;
    private final DoubleHistogram timeToFirstChunk;
    private final LongUpDownCounter inFlight;

    AnswerMetrics(Meter meter) {
        this.answerDuration = Durations.histogram(meter, "ctxprop.answer.duration", "End-to-end latency of one answer, by transport");
        this.timeToFirstChunk = Durations.histogram(meter, "ctxprop.answer.time_to_first_chunk",
                "Time from the request to the first chunk of a streamed answer, by transport");
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
            answerDuration.record(Durations.secondsSince(started), failed(transport, failure));
            throw failure;
        } finally {
            inFlight.add(-1, transport);
        }
    }

    /** The first chunk of a streamed answer arrived, {@code started} (nanoTime) after the hop began. */
    void firstChunk(Transport hop, long started) {
        timeToFirstChunk.record(Durations.secondsSince(started), Attributes.of(TRANSPORT, hop.wireName()));
    }

    /** A streamed answer failed before its first chunk: the wait is recorded with the failure as error type. */
    void noFirstChunk(Transport hop, long started, RuntimeException failure) {
        timeToFirstChunk.record(Durations.secondsSince(started), failed(Attributes.of(TRANSPORT, hop.wireName()), failure));
    }

    /** The HTTP status of a problem, {@code cancelled} for a reader who left, else the exception's class. */
    private static Attributes failed(Attributes transport, RuntimeException failure) {
        String type = failure instanceof TracedProblem problem ? Integer.toString(problem.status())
                : failure instanceof ServerSentEvents.ReaderGone ? "cancelled" : failure.getClass().getName();
        return transport.toBuilder().put(ErrorAttributes.ERROR_TYPE, type).build();
    }
}
