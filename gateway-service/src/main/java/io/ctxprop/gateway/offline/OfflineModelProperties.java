package io.ctxprop.gateway.offline;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param latency    how long the offline model thinks before it answers ({@code OFFLINE_MODEL_LATENCY})
 * @param tokenDelay the pause between the chunks of a streamed answer ({@code OFFLINE_MODEL_TOKEN_DELAY}),
 *                   like a fast real model, so streaming is visible locally
 */
@ConfigurationProperties("offline-model")
public record OfflineModelProperties(@DefaultValue("0ms") Duration latency, @DefaultValue("20ms") Duration tokenDelay) {
}
