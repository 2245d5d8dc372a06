package io.ctxprop.telemetry.export;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Arize Phoenix, from {@code PHOENIX_COLLECTOR_ENDPOINT}, {@code PHOENIX_PROJECT_NAME} and
 * {@code PHOENIX_API_KEY}. The endpoint may be Phoenix's base address or its {@code /v1/traces} URL.
 */
@ConfigurationProperties("phoenix")
public record PhoenixProperties(String collectorEndpoint, String projectName, String apiKey) {

    public PhoenixProperties {
        projectName = Blank.orDefault(projectName, "default");
    }

    public boolean configured() {
        return !Blank.is(collectorEndpoint);
    }

    /** The OTLP/HTTP traces URL, whether the variable named Phoenix's base address or the full path. */
    public String tracesUrl() {
        String base = collectorEndpoint.strip().replaceAll("/+$", "");
        return base.endsWith("/v1/traces") ? base : base + "/v1/traces";
    }

    /** The headers Phoenix's requests carry: its key as a bearer token, when one is set. */
    public java.util.Map<String, String> headers() {
        return Blank.is(apiKey) ? java.util.Map.of() : java.util.Map.of("Authorization", "Bearer " + apiKey.strip());
    }

    @Override
    public String toString() {
        return "PhoenixProperties[collectorEndpoint=" + collectorEndpoint + ", projectName=" + projectName
                + ", apiKey=" + Blank.masked(apiKey) + "]";
    }
}
