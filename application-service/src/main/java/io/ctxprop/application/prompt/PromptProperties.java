package io.ctxprop.application.prompt;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param maxTextLength          longest prompt accepted, in characters (413 above it)
 * @param propagationEnabled     {@code CONTEXT_PROPAGATION_ENABLED}: false turns injection off on every hop
 */
@ConfigurationProperties("prompt")
public record PromptProperties(int maxTextLength, boolean propagationEnabled) {
}
