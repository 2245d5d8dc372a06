package io.ctxprop.application.prompt;

import java.util.function.Consumer;

/**
 * One way to the gateway that streams the answer as the model writes it. Called with the root span
 * current, on the thread that writes to the reader; returns the whole answer or throws a
 * {@link io.ctxprop.telemetry.web.TracedProblem} (502 gateway or model failure, 503 Kafka unavailable,
 * 504 no progress in time).
 */
public interface StreamingAnswerSource {

    Transport transport();

    /**
     * @param pieces called with each piece of the answer in order, on the calling thread; when it throws
     *               {@link io.ctxprop.telemetry.streaming.ServerSentEvents.ReaderGone} the hop cancels the
     *               model call and rethrows it
     */
    Answer stream(String text, boolean propagate, Consumer<String> pieces);
}
