package io.ctxprop.application.prompt;

/** One hop's answer: which transport carried it, the model's text and name, and how long the hop took. */
public record Answer(String transport, String text, String model, long latencyMs) {
}
