package io.ctxprop.gateway.kafka;

import io.ctxprop.gateway.completion.StreamCancellation;
import io.ctxprop.telemetry.streaming.StreamHeaders;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.event.ListenerContainerIdleEvent;
import org.springframework.kafka.support.Acknowledgment;

/**
 * Receives request records and answers each on a virtual thread, so a slow answer never holds up the
 * records behind it. At most {@code llm.kafka.max-in-flight} requests run at once; past that the
 * listener waits for a free slot before it takes the next record. A record's offset is acknowledged
 * only after it has ended (its reply or dead letter is on the broker), and acknowledgments reach the
 * container in offset order ({@link InOrderAcknowledgments}), so a gateway that dies mid-flight loses
 * nothing: the uncommitted requests are delivered again and answered again (at-least-once).
 * <p>
 * On shutdown ({@link #drain}) it takes no more records and waits for those in flight, so their
 * offsets are committed before the consumer stops and a restart does not answer them again; what is
 * still running when the gateway closes is interrupted and left uncommitted.
 */
class RequestListener implements AutoCloseable {

    static final String ID = "llm-requests";
    private static final Logger LOGGER = LoggerFactory.getLogger(RequestListener.class);
    private static final Duration INTERRUPTED_WORK_WAIT = Duration.ofSeconds(5);

    private final RequestHandler handler;
    private final InOrderAcknowledgments acknowledgments;
    private final InFlightStreams streams;
    private final String defaultReplyTopic;
    private final Semaphore slots;
    private final int maxInFlight;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean draining;

    RequestListener(RequestHandler handler, InOrderAcknowledgments acknowledgments, InFlightStreams streams, String defaultReplyTopic,
            int maxInFlight) {
        this.handler = handler;
        this.acknowledgments = acknowledgments;
        this.streams = streams;
        this.defaultReplyTopic = defaultReplyTopic;
        this.maxInFlight = maxInFlight;
        this.slots = new Semaphore(maxInFlight);
    }

    /** Never throws: a record it does not take stays unacknowledged, and so does every later one. */
    @KafkaListener(id = ID, topics = "${llm.kafka.requests}", groupId = "${llm.kafka.group-id}")
    void onRequest(ConsumerRecord<String, byte[]> record, Acknowledgment acknowledgment, Consumer<?, ?> consumer) {
        acknowledgments.resumeDrained(consumer);
        if (StreamHeaders.isSet(record.headers(), StreamHeaders.CANCEL)) {
            cancel(record, acknowledgment, consumer);
            return;
        }
        try {
            slots.acquire();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            draining = true; // as at shutdown: this record and every later one are the next owner's
            return;
        }
        if (draining) {
            // not taken: never answered and never acknowledged here, so it is the next owner's to answer
            slots.release();
            return;
        }
        // registered here, on the listener thread, before its cancel (later on the same partition) can come
        InFlightStreams.StreamId streamId = InFlightStreams.StreamId.of(record, defaultReplyTopic);
        StreamCancellation cancellation = StreamHeaders.isSet(record.headers(), StreamHeaders.STREAM)
                ? streams.register(streamId, StreamHeaders.cancelToken(record.headers())) : new StreamCancellation();
        Runnable ended = acknowledgments.track(record, acknowledgment, consumer);
        try {
            workers.execute(() -> answer(record, ended, streamId, cancellation));
        } catch (RejectedExecutionException closing) {
            streams.end(streamId, cancellation);
            slots.release();
            draining = true;
        }
    }

    /**
     * A cancel record: a look-up, on this thread and without a slot. It stops only the stream whose
     * correlation id, key, reply topic and cancel token it carries (the application sends all four, as
     * in the request; the token is never logged). It is acknowledged in offset
     * order like every record, never answered nor dead-lettered. While draining it is not taken (a
     * later owner finds nothing to cancel and acknowledges it), but it still stops the stream here.
     */
    private void cancel(ConsumerRecord<String, byte[]> record, Acknowledgment acknowledgment, Consumer<?, ?> consumer) {
        InFlightStreams.StreamId streamId = InFlightStreams.StreamId.of(record, defaultReplyTopic);
        if (!streams.cancel(streamId, StreamHeaders.cancelToken(record.headers()))) {
            LOGGER.debug("Cancel for {} at {}-{}@{}: no stream of it and its token in flight here", streamId, record.topic(),
                    record.partition(), record.offset());
        }
        if (!draining) {
            acknowledgments.track(record, acknowledgment, consumer).run();
        }
    }

    /** The consumer thread, between polls, with nothing delivered: the time to resume drained partitions. */
    @EventListener(condition = "event.listenerId.startsWith('" + ID + "')")
    void onIdle(ListenerContainerIdleEvent event) {
        acknowledgments.resumeDrained(event.getConsumer());
    }

    private void answer(ConsumerRecord<String, byte[]> record, Runnable ended, InFlightStreams.StreamId streamId,
            StreamCancellation cancellation) {
        try {
            handler.handle(record, cancellation);
            streams.end(streamId, cancellation);
            ended.run();
        } catch (Throwable notEnded) {
            if (handler.stopping()) {
                LOGGER.warn("Stopped before {}-{}@{} was answered; it will be delivered again", record.topic(),
                        record.partition(), record.offset());
            } else {
                endUnexpectedly(record, ended, notEnded);
            }
        } finally {
            streams.end(streamId, cancellation);
            slots.release();
        }
    }

    /** A failure outside the handler's own handling (an Error, a bug): dead-lettered, so the partition moves on. */
    private void endUnexpectedly(ConsumerRecord<String, byte[]> record, Runnable ended, Throwable failure) {
        try {
            handler.deadLetterUnexpected(record, failure);
            ended.run();
        } catch (Throwable stillFailing) {
            LOGGER.error("Could not answer nor dead-letter {}-{}@{} ({}); its partition's commit waits for it until the next start",
                    record.topic(), record.partition(), record.offset(), stillFailing.getClass().getName());
        }
    }

    int inFlight() {
        return maxInFlight - slots.availablePermits();
    }

    /**
     * Stops taking records and waits up to {@code timeout} for those in flight to end.
     *
     * @return how many were still in flight at the timeout (0 when all ended)
     */
    int drain(Duration timeout) throws InterruptedException {
        draining = true;
        if (slots.tryAcquire(maxInFlight, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            slots.release(maxInFlight);
            return 0;
        }
        return inFlight();
    }

    /**
     * When the gateway closes (after the drain, the consumer already stopped): what is still running
     * is interrupted, ends without a reply and is answered after the restart.
     */
    @Override
    public void close() throws InterruptedException {
        handler.stop();
        streams.cancelAll();
        workers.shutdownNow();
        if (!workers.awaitTermination(INTERRUPTED_WORK_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            LOGGER.warn("{} Kafka requests did not stop within {} of their interrupt", inFlight(), INTERRUPTED_WORK_WAIT);
        }
    }
}
