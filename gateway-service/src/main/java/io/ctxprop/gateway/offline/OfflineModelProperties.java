package io.ctxprop.gateway.offline;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** @param latency how long the offline model thinks before it answers ({@code OFFLINE_MODEL_LATENCY}) */
@ConfigurationProperties("offline-model")
public record OfflineModelProperties(@DefaultValue("0ms") Duration latency) {
}
