package io.ctxprop.gateway.completion;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import io.ctxprop.telemetry.ContentCapture;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.openai.v1_1.OpenAITelemetry;
import java.time.Duration;
import java.util.function.Supplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.function.SingletonSupplier;

/**
 * The openai-java client, wrapped by the OpenTelemetry openai-java instrumentation (the
 * {@code chat <model>} span with the GenAI attributes). Inside that wrap, its chat completions are
 * decorated to add the OpenInference attributes to the span from the typed request and answer, and
 * an OkHttp interceptor carries the trace context to the model server. Built on first use, since the
 * offline model's address is only known once the server has its port.
 */
@Configuration(proxyBeanMethods = false)
class ModelClientConfiguration {

    /** Sent when no key is set (offline model, Ollama): such servers ignore it, and openai-java insists on one. */
    private static final String NO_API_KEY = "none";
    private static final Duration IDLE_CONNECTION_KEEP_ALIVE = Duration.ofMinutes(5);

    @Bean
    Supplier<OpenAIClient> modelClient(ModelProperties properties, ModelEndpoint endpoint, OpenTelemetry openTelemetry,
            ContentCapture capture) {
        return SingletonSupplier.of(() -> {
            OpenAIClient client = OpenAIOkHttpClient.builder()
                    .baseUrl(endpoint.baseUrl())
                    .apiKey(properties.apiKey() == null || properties.apiKey().isBlank() ? NO_API_KEY : properties.apiKey().strip())
                    .maxRetries(properties.maxRetries())
                    .timeout(properties.timeout())
                    // openai-java takes both or neither; five minutes is OkHttp's own keep-alive.
                    .maxIdleConnections(properties.maxIdleConnections())
                    .keepAliveDuration(IDLE_CONNECTION_KEEP_ALIVE)
                    .addInterceptor(new TraceContextInterceptor(openTelemetry.getPropagators().getTextMapPropagator()))
                    .addInterceptor(new CancellationInterceptor())
                    .build();
            var annotator = new OpenInferenceAnnotator(capture, endpoint.provider());
            OpenAIClient annotated = ChatCompletionsDecoration.decorate(client, completions -> new AnnotatedChatCompletions(completions, annotator));
            // No message content on the instrumentation's GenAI log events: the span's OpenInference
            // messages are the one copy of the prompt and the answer.
            return OpenAITelemetry.builder(openTelemetry)
                    .setCaptureMessageContent(false)
                    .build()
                    .wrap(annotated);
        });
    }
}
