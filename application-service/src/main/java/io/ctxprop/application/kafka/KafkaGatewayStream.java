package io.ctxprop.application.kafka;

import io.ctxprop.application.prompt.Answer;
import io.ctxprop.application.prompt.StreamingAnswerSource;
import io.ctxprop.application.prompt.Transport;
import io.ctxprop.telemetry.SpanRunner;
import io.ctxprop.telemetry.kafka.KafkaTracing;
import io.ctxprop.telemetry.streaming.ServerSentEvents.ReaderGone;
import io.ctxprop.telemetry.streaming.StreamHeaders;
import io.ctxprop.telemetry.streaming.StreamingAttributes;
import io.ctxprop.telemetry.web.TracedProblem;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The streamed Kafka hop: a request record with {@code ctxprop-stream: true} inside {@code send llm.requests},
 * then the stream's pieces as its {@link ReplyStream} puts them in order, read on the request's thread.
 * No progress (the next piece in order) within {@code REPLY_TIMEOUT} is a 504 naming what is missing.
 * A reader who leaves sends the cancel record, so the gateway stops the model call.
 */
@Component
class KafkaGatewayStream implements StreamingAnswerSource {

    private static final Logger LOGGER = LoggerFactory.getLogger(KafkaGatewayStream.class);

    private final TracedReplyingKafkaTemplate kafka;
    private final KafkaTracing tracing;
    private final ReplyStreams streams;
    private final KafkaProperties properties;
    private final JsonMapper json;

    KafkaGatewayStream(TracedReplyingKafkaTemplate kafka, KafkaTracing tracing, ReplyStreams streams, KafkaProperties properties,
            JsonMapper json) {
        this.kafka = kafka;
        this.tracing = tracing;
        this.streams = streams;
        this.properties = properties;
        this.json = json;
    }

    @Override
    public Transport transport() {
        return Transport.KAFKA;
    }

    @Override
    public Answer stream(String text, boolean propagate, Consumer<String> pieces) {
        KafkaGatewayClient.awaitReplyConsumer(kafka, properties);
        long started = System.nanoTime();
        String correlationId = UUID.randomUUID().toString();
        var request = new ProducerRecord<>(properties.requests(), correlationId, json.writeValueAsString(Map.of("text", text)));
        StreamHeaders.set(request.headers(), StreamHeaders.STREAM);
        request.headers().add(KafkaHeaders.REPLY_TOPIC, properties.replies().getBytes(StandardCharsets.UTF_8));
        request.headers().add(KafkaHeaders.CORRELATION_ID, correlationId.getBytes(StandardCharsets.UTF_8));
        // the secret only this sender knows: the correlation id and key can be read off the replies
        byte[] cancelToken = StreamHeaders.newCancelToken();
        request.headers().add(StreamHeaders.CANCEL_TOKEN, cancelToken);
        // open before the send: the first record may come back before the send is acknowledged
        ReplyStream stream = streams.open(correlationId, Context.current(), propagate);
        boolean sent = false;
        try {
            send(request, correlationId, propagate);
            sent = true;
            return receive(stream, pieces, started);
        } catch (ReaderGone gone) {
            streams.close(correlationId);
            cancel(correlationId, cancelToken, propagate);
            stream.abandon("cancelled", null);
            throw gone;
        } catch (RuntimeException failure) {
            streams.close(correlationId);
            if (sent && !stream.complete()) {
                // no one reads the rest of this answer (a 504 for no progress, a record not JSON): stop its model call
                cancel(correlationId, cancelToken, propagate);
            }
            stream.abandon("failed", failure);
            throw failure;
        } finally {
            streams.close(correlationId);
        }
    }

    private void send(ProducerRecord<String, String> request, String correlationId, boolean propagate) {
        Span span = tracing.startSend(request, correlationId);
        span.setAttribute(StreamingAttributes.STREAMED, true);
        SpanRunner.call(span, current -> {
            if (propagate) {
                tracing.inject(current, request.headers());
            }
            try {
                tracing.sent(current, kafka.send(request).get(properties.replyTimeout().toMillis(), TimeUnit.MILLISECONDS).getRecordMetadata());
            } catch (KafkaException | ExecutionException | TimeoutException failure) {
                throw new TracedProblem(503, "Kafka unavailable", "The request could not be written to " + request.topic() + ".", failure);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw ReaderGone.interrupted(interrupted);
            }
            return null;
        });
    }

    private Answer receive(ReplyStream stream, Consumer<String> pieces, long started) {
        while (true) {
            ChunkAssembler.Piece piece;
            try {
                piece = stream.next(properties.replyTimeout());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw ReaderGone.interrupted(interrupted);
            }
            if (piece == null) {
                throw new TracedProblem(504, "Gateway timeout", "No progress on " + properties.replies() + " within "
                        + properties.replyTimeout().toMillis() + " ms: " + stream.missing() + " did not arrive.");
            }
            JsonNode value = parse(piece instanceof ChunkAssembler.Chunk chunk ? chunk.value() : ((ChunkAssembler.Last) piece).value());
            if (piece instanceof ChunkAssembler.Chunk) {
                pieces.accept(value.path("chunk").asString(""));
                continue;
            }
            if (value.hasNonNull("error")) {
                int status = value.path("status").asInt(502);
                throw new TracedProblem(status == 504 ? 504 : 502, status == 504 ? "Gateway timeout" : "Gateway error",
                        "The gateway answered over Kafka: " + value.path("error").asString(""));
            }
            long latencyMs = (System.nanoTime() - started) / 1_000_000;
            return new Answer(transport().wireName(), value.path("response").asString(""), value.path("model").asString(""), latencyMs);
        }
    }

    /**
     * Asks the gateway to stop the answer: a record on the request topic with the request's correlation
     * id, key, reply topic and cancel token (the gateway stops only the stream that matches all four),
     * not waited for (no one reads the answer any more; the gateway ends the request either way).
     */
    private void cancel(String correlationId, byte[] cancelToken, boolean propagate) {
        boolean interrupted = Thread.interrupted(); // the producer must not see this thread's interrupt
        try {
            var cancel = new ProducerRecord<>(properties.requests(), correlationId, "{}");
            StreamHeaders.set(cancel.headers(), StreamHeaders.CANCEL);
            cancel.headers().add(KafkaHeaders.CORRELATION_ID, correlationId.getBytes(StandardCharsets.UTF_8));
            cancel.headers().add(KafkaHeaders.REPLY_TOPIC, properties.replies().getBytes(StandardCharsets.UTF_8));
            cancel.headers().add(StreamHeaders.CANCEL_TOKEN, cancelToken);
            if (propagate) {
                tracing.inject(Span.current(), cancel.headers());
            }
            kafka.send(cancel).whenComplete((sent, failure) -> {
                if (failure != null) {
                    LOGGER.warn("The cancel record of stream {} could not be sent: {}", correlationId, failure.toString());
                }
            });
        } catch (RuntimeException failure) {
            LOGGER.warn("The cancel record of stream {} could not be sent: {}", correlationId, failure.toString());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }


    private JsonNode parse(String value) {
        try {
            return json.readTree(value == null ? "{}" : value);
        } catch (JacksonException malformed) {
            // not the parser's exception as cause: its message quotes the record, which may be answer text
            throw new TracedProblem(502, "Gateway error", "A record of the streamed answer is not JSON.");
        }
    }
}
