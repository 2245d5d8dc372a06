package io.ctxprop.gateway.completion;

import io.ctxprop.telemetry.web.ListenAddress;
import io.ctxprop.gateway.offline.OfflineModel;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Where the model lives: the configured OpenAI-compatible server, or the gateway's own offline
 * endpoint, reached over real HTTP on the port the server was given.
 */
@Component
public class ModelEndpoint {

    static final String OPENAI_BASE_URL = "https://api.openai.com/v1";

    private final ModelProperties properties;
    private final Environment environment;

    ModelEndpoint(ModelProperties properties, Environment environment) {
        this.properties = properties;
        this.environment = environment;
    }

    public boolean offline() {
        return properties.offline();
    }

    /** The model name to request (the offline model answers under its own name). */
    public String model() {
        return offline() ? OfflineModel.NAME : properties.model();
    }

    public String baseUrl() {
        if (offline()) {
            return "http://" + ListenAddress.of(environment).selfHost() + ":" + environment.getRequiredProperty("local.server.port")
                    + OfflineModel.BASE_PATH;
        }
        return properties.baseUrl() == null || properties.baseUrl().isBlank() ? OPENAI_BASE_URL : properties.baseUrl().strip();
    }

    /** The {@code llm.provider} value: who serves the model. */
    public String provider() {
        if (offline()) {
            return "offline";
        }
        return baseUrl().equals(OPENAI_BASE_URL) ? "openai" : "openai-compatible";
    }

    /** What the status page shows: the mode, never the key. */
    public String describe() {
        return offline() ? "offline model (no OPENAI_API_KEY set)" : provider() + " at " + baseUrl();
    }
}
