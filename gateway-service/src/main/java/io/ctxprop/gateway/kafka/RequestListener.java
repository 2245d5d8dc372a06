package io.ctxprop.gateway.kafka;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;

/**
 * Receives request records and answers each on a virtual thread, so a slow model never stalls a
 * partition. At most {@code llm.kafka.max-in-flight} requests run at once; past that the listener
 * waits for a free slot before it takes the next record. A record's offset is acknowledged only
 * after it has ended (its reply or dead letter is on the broker), and acknowledgments reach the
 * container in offset order ({@link InOrderAcknowledgments}), so a gateway that dies mid-flight loses
 * nothing: the uncommitted requests are delivered again and answered again (at-least-once).
 * <p>
 * On shutdown ({@link #drain}) it takes no more records and waits for those in flight, so their
 * offsets are committed before the consumer stops and a restart does not answer them again.
 */
class RequestListener implements AutoCloseable {

    static final String ID = "llm-requests";
    private static final Logger LOGGER = LoggerFactory.getLogger(RequestListener.class);

    private final RequestHandler handler;
    private final InOrderAcknowledgments acknowledgments;
    private final Semaphore slots;
    private final int maxInFlight;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean draining;

    RequestListener(RequestHandler handler, InOrderAcknowledgments acknowledgments, int maxInFlight) {
        this.handler = handler;
        this.acknowledgments = acknowledgments;
        this.maxInFlight = maxInFlight;
        this.slots = new Semaphore(maxInFlight);
    }

    @KafkaListener(id = ID, topics = "${llm.kafka.requests}", groupId = "${llm.kafka.group-id}")
    void onRequest(ConsumerRecord<String, byte[]> record, Acknowledgment acknowledgment) throws InterruptedException {
        slots.acquire();
        if (draining) {
            // not taken: never answered and never acknowledged here, so it is the next owner's to answer
            slots.release();
            return;
        }
        Runnable ended = acknowledgments.track(record, acknowledgment);
        workers.execute(() -> {
            try {
                handler.handle(record);
                ended.run();
            } catch (RuntimeException notEnded) {
                // only when the gateway stops mid-answer: the offset stays uncommitted, the record comes again
                LOGGER.warn("Stopped before {}-{}@{} was answered; it will be delivered again", record.topic(),
                        record.partition(), record.offset(), notEnded);
            } finally {
                slots.release();
            }
        });
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

    /** Lets the requests still in flight finish when the gateway stops. */
    @Override
    public void close() {
        workers.close();
    }
}
