package io.ctxprop.gateway.kafka;

import io.ctxprop.telemetry.kafka.KafkaTracing;
import io.opentelemetry.context.Context;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Opens the {@link ReplyStream} of a streamed request. One timer thread, shared by every stream,
 * sends the text a {@link ChunkWindow} held when its window ends.
 */
@Component
class ReplyStreams implements AutoCloseable {

    private final ReplyProducer producer;
    private final KafkaTracing tracing;
    private final JsonMapper json;
    private final StreamProperties properties;
    private final ScheduledThreadPoolExecutor timer;

    ReplyStreams(ReplyProducer producer, KafkaTracing tracing, JsonMapper json, StreamProperties properties) {
        this.producer = producer;
        this.tracing = tracing;
        this.json = json;
        this.properties = properties;
        this.timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "kafka-chunk-window");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true); // a window cut short by the next piece leaves no task behind
    }

    /** Its span will be a child of the current context (the request's {@code process} span). */
    ReplyStream open(KafkaRequest request) {
        return new ReplyStream(request, Context.current(), producer, tracing, json, properties.coalesce(),
                (task, delayNanos) -> timer.schedule(task, delayNanos, TimeUnit.NANOSECONDS));
    }

    /** After the listener (which depends on this) has drained: a window still open sends at once from here on. */
    @Override
    public void close() {
        timer.shutdown();
    }
}
