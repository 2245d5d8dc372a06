package io.ctxprop.gateway.completion;

/** What the model answered, and which model did. */
public record Completion(String text, String model) {
}
