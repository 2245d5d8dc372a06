package io.ctxprop.bench.raw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.bench.load.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** The baseline really goes request topic -> responder -> reply topic -> the waiting request, on a real broker. */
class RawRoundTripTest {

    private static EmbeddedKafkaKraftBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = new EmbeddedKafkaKraftBroker(1, RawKafka.PARTITIONS);
        broker.afterPropertiesSet();
        RawKafka.createTopics(broker.getBrokersAsString());
    }

    @AfterAll
    static void stopBroker() {
        broker.destroy();
    }

    @Test
    void everyRequestGetsItsOwnReply(@TempDir Path work) throws Exception {
        Path ready = work.resolve("ready");
        try (var pool = Executors.newVirtualThreadPerTaskExecutor();
                var responder = new RawResponder(broker.getBrokersAsString())) {
            Future<?> serving = pool.submit(() -> {
                responder.serve(ready);
                return null;
            });
            await("the responder has its partitions").atMost(Duration.ofSeconds(60))
                    .until(() -> Files.exists(ready) || serving.isDone());
            assertThat(serving).isNotDone();
            try (var requester = new RawRequester(broker.getBrokersAsString(), "{\"text\":\"round trip\"}", Duration.ofSeconds(20))) {
                var outcomes = new java.util.ArrayList<Future<Outcome>>();
                for (int i = 0; i < 50; i++) {
                    outcomes.add(pool.submit(requester::call));
                }
                for (Future<Outcome> outcome : outcomes) {
                    assertThat(outcome.get(30, TimeUnit.SECONDS)).isEqualTo(Outcome.OK);
                }
            }
            responder.close();
            serving.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void withNobodyAnsweringARequestTimesOut() throws Exception {
        try (var requester = new RawRequester(broker.getBrokersAsString(), "{\"text\":\"unanswered\"}", Duration.ofMillis(500))) {
            assertThat(requester.call()).isEqualTo(Outcome.TIMEOUT);
        }
    }

    @Test
    void theReplyCarriesTheRequestInTheGatewaysShape() {
        assertThat(RawResponder.answer("{\"text\":\"hi\"}")).isEqualTo("{\"response\":{\"text\":\"hi\"},\"model\":\"raw\"}");
    }
}
