package io.ctxprop.application.kafka;

import io.ctxprop.application.prompt.Answer;
import io.ctxprop.application.prompt.AnswerSource;
import io.ctxprop.application.prompt.Transport;
import io.ctxprop.telemetry.SpanRunner;
import io.ctxprop.telemetry.kafka.KafkaTracing;
import io.ctxprop.telemetry.web.TracedProblem;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.requestreply.KafkaReplyTimeoutException;
import org.springframework.kafka.requestreply.RequestReplyFuture;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Kafka hop: a request record on {@code llm.requests} inside a {@code send llm.requests} PRODUCER
 * span whose context goes into the record headers (unless propagation is off), then the wait for the
 * correlated reply on {@code llm.replies}. No reply in time is a 504; a broker that cannot take the
 * request is a 503.
 */
@Component
class KafkaGatewayClient implements AnswerSource {

    private final TracedReplyingKafkaTemplate kafka;
    private final KafkaTracing tracing;
    private final ReplyLedger ledger;
    private final KafkaProperties properties;
    private final JsonMapper json;

    KafkaGatewayClient(TracedReplyingKafkaTemplate kafka, KafkaTracing tracing, ReplyLedger ledger,
            KafkaProperties properties, JsonMapper json) {
        this.kafka = kafka;
        this.tracing = tracing;
        this.ledger = ledger;
        this.properties = properties;
        this.json = json;
    }

    @Override
    public Transport transport() {
        return Transport.KAFKA;
    }

    @Override
    public Answer ask(String text, boolean propagate) {
        awaitReplyConsumer(kafka, properties);
        long started = System.nanoTime();
        String correlationId = UUID.randomUUID().toString();
        var request = new ProducerRecord<>(properties.requests(), correlationId, json.writeValueAsString(Map.of("text", text)));
        RequestReplyFuture<String, String, String> future = send(request, correlationId, propagate);
        ConsumerRecord<String, String> reply = awaitReply(future);
        long latencyMs = (System.nanoTime() - started) / 1_000_000;
        JsonNode body = parse(reply.value());
        if (body.hasNonNull("error")) {
            int status = body.path("status").asInt(502);
            throw new TracedProblem(status == 504 ? 504 : 502, status == 504 ? "Gateway timeout" : "Gateway error",
                    "The gateway answered over Kafka: " + body.path("error").asString(""));
        }
        return new Answer(transport().wireName(), body.path("response").asString(""), body.path("model").asString(""), latencyMs);
    }

    private RequestReplyFuture<String, String, String> send(ProducerRecord<String, String> request, String correlationId,
            boolean propagate) {
        ledger.sent(correlationId, Context.current(), propagate);
        Span span = tracing.startSend(request, correlationId);
        return SpanRunner.call(span, current -> {
            if (propagate) {
                tracing.inject(current, request.headers());
            }
            RequestReplyFuture<String, String, String> future;
            try {
                future = kafka.sendAndReceive(request, properties.replyTimeout());
            } catch (KafkaException failure) {
                // the producer gave up before the record left (no metadata within max.block.ms: no broker)
                throw new TracedProblem(503, "Kafka unavailable", "The request could not be written to " + request.topic() + ".", failure);
            }
            try {
                tracing.sent(current, future.getSendFuture().get(properties.replyTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .getRecordMetadata());
            } catch (ExecutionException | TimeoutException failure) {
                future.cancel(true);
                throw new TracedProblem(503, "Kafka unavailable", "The request could not be written to " + request.topic() + ".", failure);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new TracedProblem(503, "Kafka unavailable", "Interrupted while writing the request.", interrupted);
            }
            return future;
        });
    }

    private ConsumerRecord<String, String> awaitReply(RequestReplyFuture<String, String, String> future) {
        try {
            return future.get(properties.replyTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException failure) {
            if (failure.getCause() instanceof KafkaReplyTimeoutException) {
                throw noReply(failure);
            }
            throw new TracedProblem(502, "Gateway error", "The reply could not be received.", failure);
        } catch (TimeoutException timeout) {
            throw noReply(timeout);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new TracedProblem(504, "Gateway timeout", "Interrupted while waiting for the reply.", interrupted);
        }
    }

    private TracedProblem noReply(Exception cause) {
        return new TracedProblem(504, "Gateway timeout",
                "No reply arrived on " + properties.replies() + " within " + properties.replyTimeout().toMillis() + " ms.", cause);
    }

    /** Right after start-up the reply consumer may not have its partitions yet: a reply sent then would be missed. */
    static void awaitReplyConsumer(TracedReplyingKafkaTemplate kafka, KafkaProperties properties) {
        var assigned = kafka.getAssignedReplyTopicPartitions();
        if (assigned != null && !assigned.isEmpty()) {
            return;
        }
        try {
            if (kafka.waitForAssignment(properties.readyTimeout())) {
                return;
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        throw new TracedProblem(503, "Kafka unavailable",
                "The reply consumer has no partitions of " + properties.replies() + " yet: is the broker at KAFKA_BOOTSTRAP_SERVERS running?");
    }

    private JsonNode parse(String value) {
        try {
            return json.readTree(value == null ? "{}" : value);
        } catch (JacksonException malformed) {
            throw new TracedProblem(502, "Gateway error", "The reply is not JSON.", malformed);
        }
    }
}
