package io.ctxprop.telemetry.export;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Arize, from {@code ARIZE_SPACE_ID}, {@code ARIZE_API_KEY}, {@code ARIZE_PROJECT_NAME},
 * {@code ARIZE_MODEL_ID} and optionally {@code ARIZE_COLLECTOR_ENDPOINT} (OTLP/gRPC).
 */
@ConfigurationProperties("arize")
public record ArizeProperties(String spaceId, String apiKey, String projectName, String modelId,
        String collectorEndpoint) {

    static final String DEFAULT_ENDPOINT = "https://otlp.arize.com:443";

    public ArizeProperties {
        projectName = Blank.orDefault(projectName, "context-propagation");
        modelId = Blank.orDefault(modelId, projectName);
        collectorEndpoint = Blank.orDefault(collectorEndpoint, DEFAULT_ENDPOINT);
    }

    public boolean configured() {
        return !Blank.is(spaceId) && !Blank.is(apiKey);
    }

    @Override
    public String toString() {
        return "ArizeProperties[spaceId=" + spaceId + ", apiKey=" + Blank.masked(apiKey) + ", projectName="
                + projectName + ", modelId=" + modelId + ", collectorEndpoint=" + collectorEndpoint + "]";
    }
}
