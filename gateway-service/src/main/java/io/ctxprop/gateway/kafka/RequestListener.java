package io.ctxprop.gateway.kafka;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

/**
 * Receives request records and answers each on a virtual thread, so a slow model never stalls a
 * partition. At most {@code llm.kafka.max-in-flight} requests run at once; past that the listener
 * waits for a free slot before it takes the next record. A record's offset is acknowledged only after
 * its reply (or dead letter) is on the broker, and acknowledgments reach the container in offset
 * order ({@link InOrderAcknowledgments}), so a gateway that dies mid-flight loses nothing: the
 * uncommitted requests are delivered again and answered again (at-least-once).
 */
@Component
class RequestListener implements AutoCloseable {

    static final String ID = "llm-requests";
    private static final Logger LOGGER = LoggerFactory.getLogger(RequestListener.class);

    private final RequestHandler handler;
    private final Semaphore slots;
    private final int maxInFlight;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final InOrderAcknowledgments acknowledgments = new InOrderAcknowledgments();

    RequestListener(RequestHandler handler, TopicProperties topics) {
        this.handler = handler;
        this.maxInFlight = topics.maxInFlight();
        this.slots = new Semaphore(maxInFlight);
    }

    @KafkaListener(id = ID, topics = "${llm.kafka.requests}", groupId = "${llm.kafka.group-id}")
    void onRequest(ConsumerRecord<String, byte[]> record, Acknowledgment acknowledgment) throws InterruptedException {
        slots.acquire();
        Runnable answered = acknowledgments.track(record, acknowledgment);
        workers.execute(() -> {
            try {
                handler.handle(record);
                answered.run();
            } catch (RuntimeException failure) {
                // Not acknowledged: the partition's committed offset stays below this record, which is
                // delivered again (with the ones after it) after a restart or rebalance.
                LOGGER.error("Could not answer {}-{}@{}; it will be delivered again", record.topic(), record.partition(),
                        record.offset(), failure);
            } finally {
                slots.release();
            }
        });
    }

    int inFlight() {
        return maxInFlight - slots.availablePermits();
    }

    /** Lets the requests in flight finish when the gateway stops. */
    @Override
    public void close() {
        workers.close();
    }
}
