package io.ctxprop.gateway.completion;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The model the gateway calls: {@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL}, {@code OPENAI_MODEL},
 * and how hard to try. With no key and no base URL the gateway answers with its offline model.
 *
 * @param maxRetries retries after the first attempt on 408, 409, 429, 5xx and I/O errors, with
 *                   exponential backoff that honours Retry-After (openai-java's own policy)
 * @param timeout    the deadline of one attempt; for a streamed answer, the longest silence between two reads
 * @param streamTimeout the deadline of a whole streamed answer ({@code OPENAI_STREAM_TIMEOUT}): a long
 *                   answer that keeps coming is not cut at {@code timeout}, a stalled one still is
 * @param stream     ask for a streamed answer (server-sent events) and assemble it
 * @param maxIdleConnections connections to the model server kept open between calls. OkHttp keeps 5
 *                   by default; over HTTP/1.1 (the offline model, Ollama, vLLM) every call beyond the
 *                   fifth concurrent one then opens and closes a TCP connection of its own.
 */
@ConfigurationProperties("openai")
public record ModelProperties(String apiKey, String baseUrl, @DefaultValue("gpt-4o-mini") String model,
        @DefaultValue("2") int maxRetries, @DefaultValue("30s") Duration timeout, @DefaultValue("5m") Duration streamTimeout, @DefaultValue("false") boolean stream,
        @DefaultValue("1024") int maxIdleConnections) {

    public boolean offline() {
        return isBlank(apiKey) && isBlank(baseUrl);
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    @Override
    public String toString() {
        return "ModelProperties[apiKey=" + (isBlank(apiKey) ? "<unset>" : "<set>") + ", baseUrl=" + baseUrl
                + ", model=" + model + ", maxRetries=" + maxRetries + ", timeout=" + timeout + ", streamTimeout=" + streamTimeout + ", stream=" + stream
                + ", maxIdleConnections=" + maxIdleConnections + "]";
    }
}
