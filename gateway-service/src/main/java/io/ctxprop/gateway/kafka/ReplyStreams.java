package io.ctxprop.gateway.kafka;

import io.ctxprop.telemetry.kafka.KafkaTracing;
import io.opentelemetry.context.Context;
import java.time.Duration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaUtils;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Opens the {@link ReplyStream} of a streamed request; sends wait as long as {@link ReplySender}'s. */
@Component
class ReplyStreams {

    private static final long MARGIN_MS = 5_000;

    private final KafkaTemplate<String, byte[]> kafka;
    private final KafkaTracing tracing;
    private final JsonMapper json;
    private final Duration sendTimeout;

    ReplyStreams(KafkaTemplate<String, byte[]> kafka, KafkaTracing tracing, JsonMapper json) {
        this.kafka = kafka;
        this.tracing = tracing;
        this.json = json;
        this.sendTimeout = KafkaUtils.determineSendTimeout(kafka.getProducerFactory().getConfigurationProperties(), MARGIN_MS, 0);
    }

    /** Its span will be a child of the current context (the request's {@code process} span). */
    ReplyStream open(KafkaRequest request) {
        return new ReplyStream(request, Context.current(), kafka, tracing, json, sendTimeout);
    }
}
