package io.ctxprop.gateway.kafka;

import io.ctxprop.telemetry.kafka.KafkaTracing;
import io.opentelemetry.context.Context;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Opens the {@link ReplyStream} of a streamed request. */
@Component
class ReplyStreams {

    private final ReplyProducer producer;
    private final KafkaTracing tracing;
    private final JsonMapper json;

    ReplyStreams(ReplyProducer producer, KafkaTracing tracing, JsonMapper json) {
        this.producer = producer;
        this.tracing = tracing;
        this.json = json;
    }

    /** Its span will be a child of the current context (the request's {@code process} span). */
    ReplyStream open(KafkaRequest request) {
        return new ReplyStream(request, Context.current(), producer, tracing, json);
    }
}
