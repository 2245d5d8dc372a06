package io.ctxprop.application.inspector;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The trace inspector's bounds.
 *
 * @param maxTraces        traces kept; past it the oldest goes first
 * @param maxSpansPerTrace spans kept per trace; later ones are counted as dropped
 * @param maxBodyBytes     largest OTLP request accepted (413 above it), after decompression too
 * @param formWait         how long the form waits for a trace's spans before it shows the waterfall
 * @param phoenixUiUrl     Phoenix's address for "open in Phoenix" links; empty: no links
 */
@ConfigurationProperties("inspector")
public record InspectorProperties(int maxTraces, int maxSpansPerTrace, int maxBodyBytes, Duration formWait,
        String phoenixUiUrl) {
}
