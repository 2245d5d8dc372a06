package io.ctxprop.application.prompt;

/**
 * One way to the gateway. Called with the root span current; returns the answer or throws a
 * {@link io.ctxprop.telemetry.web.TracedProblem} (502 gateway or model failure, 504 no answer in time).
 */
public interface AnswerSource {

    Transport transport();

    /** @param propagate false leaves the trace context off the hop, reproducing the broken-trace case */
    Answer ask(String text, boolean propagate);
}
