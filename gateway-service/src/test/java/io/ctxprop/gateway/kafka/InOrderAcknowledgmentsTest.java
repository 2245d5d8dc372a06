package io.ctxprop.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.Acknowledgment;

class InOrderAcknowledgmentsTest {

    private final List<String> acknowledged = new ArrayList<>();
    private final InOrderAcknowledgments acknowledgments = new InOrderAcknowledgments(4);
    /** kafka-clients' own test consumer: it keeps the paused set as a real one does. */
    private final MockConsumer<String, String> consumer = new MockConsumer<>("earliest");

    InOrderAcknowledgmentsTest() {
        consumer.assign(List.of(partition(0), partition(1), partition(2)));
    }

    private static TopicPartition partition(int number) {
        return new TopicPartition("llm.requests", number);
    }

    private Runnable take(int partition, long offset) {
        var record = new ConsumerRecord<>("llm.requests", partition, offset, "key", "value");
        Acknowledgment acknowledgment = () -> acknowledged.add(partition + "@" + offset);
        return acknowledgments.track(record, acknowledgment, consumer);
    }

    @Test
    void aRequestAnsweredEarlyWaitsForTheOlderOnesOfItsPartition() {
        Runnable first = take(0, 10);
        Runnable second = take(0, 11);
        Runnable third = take(0, 12);

        third.run();
        second.run();
        assertThat(acknowledged).as("nothing passes offset 10 while it is being answered").isEmpty();

        first.run();
        assertThat(acknowledged).containsExactly("0@10", "0@11", "0@12");
    }

    @Test
    void partitionsDoNotWaitForEachOther() {
        Runnable slow = take(0, 5);
        Runnable fast = take(1, 7);

        fast.run();
        assertThat(acknowledged).containsExactly("1@7");

        slow.run();
        assertThat(acknowledged).containsExactly("1@7", "0@5");
    }

    @Test
    void anUnansweredRequestHoldsItsPartitionBackButNotTheRecordsAfterIt() {
        take(0, 1); // never ended (the gateway stopped mid-answer)
        Runnable later = take(0, 2);

        later.run();

        assertThat(acknowledged).as("offset 1 is delivered again after a restart, with 2").isEmpty();
    }

    @Test
    void aPartitionReadAgainFromItsCommittedOffsetStartsAfresh() {
        take(0, 20); // in flight when the partition was taken away
        Runnable again = take(0, 20); // assigned back: read again from the committed offset

        again.run();

        assertThat(acknowledged).containsExactly("0@20");
    }

    @Test
    void aPartitionIsPausedAtTheCapAndResumedByTheConsumerThreadOnceHalfOfItIsAcknowledged() {
        Runnable stalled = take(0, 0);
        List<Runnable> behind = List.of(take(0, 1), take(0, 2));
        assertThat(consumer.paused()).isEmpty();
        Runnable fourth = take(0, 3);
        assertThat(consumer.paused()).containsExactly(partition(0));
        assertThat(acknowledgments.pausedPartitions()).isEqualTo(1);
        assertThat(acknowledgments.pending()).isEqualTo(4);

        behind.forEach(Runnable::run);
        fourth.run();
        acknowledgments.resumeDrained(consumer);
        assertThat(consumer.paused()).as("answered but waiting for offset 0: still held").containsExactly(partition(0));

        stalled.run();
        assertThat(acknowledged).containsExactly("0@0", "0@1", "0@2", "0@3");
        assertThat(consumer.paused()).as("a worker thread never resumes: the consumer thread does").containsExactly(partition(0));

        acknowledgments.resumeDrained(consumer);
        assertThat(consumer.paused()).isEmpty();
        assertThat(acknowledgments.pausedPartitions()).isZero();
        assertThat(acknowledgments.pending()).isZero();
    }

    @Test
    void aPartitionThatReachesTheCapAgainBeforeItsResumeStaysPaused() {
        List<Runnable> first = List.of(take(0, 0), take(0, 1), take(0, 2), take(0, 3));
        first.forEach(Runnable::run); // drained: a resume is due
        List<Runnable> second = List.of(take(0, 4), take(0, 5), take(0, 6), take(0, 7)); // the rest of the poll

        acknowledgments.resumeDrained(consumer);

        assertThat(consumer.paused()).containsExactly(partition(0));
        assertThat(acknowledgments.paused(partition(0))).isTrue();
        second.forEach(Runnable::run);
        acknowledgments.resumeDrained(consumer);
        assertThat(consumer.paused()).isEmpty();
    }

    @Test
    void anAcknowledgmentAfterItsPartitionWasRevokedNeverReachesTheContainer() {
        Runnable inFlight = take(0, 30);
        Runnable other = take(1, 30);

        acknowledgments.revoke(List.of(new TopicPartition("llm.requests", 0)));
        inFlight.run();
        other.run();

        assertThat(acknowledged).as("the new owner of partition 0 commits it; this gateway no longer may").containsExactly("1@30");
        assertThat(acknowledgments.pending()).isZero();
    }

    @Test
    void aRevokedPartitionThatWasPausedLeavesNoResumeBehind() {
        List<Runnable> taken = new ArrayList<>();
        for (int offset = 0; offset < 4; offset++) {
            taken.add(take(2, offset));
        }
        assertThat(acknowledgments.pausedPartitions()).isEqualTo(1);

        acknowledgments.revoke(List.of(partition(2)));
        taken.forEach(Runnable::run);
        acknowledgments.resumeDrained(consumer);

        assertThat(acknowledgments.pausedPartitions()).isZero();
        assertThat(acknowledged).isEmpty();
    }

    @Test
    void aRevocationWaitsForTheRecordsInFlightSoTheirOffsetsAreCommittedWithIt() throws Exception {
        Runnable inFlight = take(0, 40);
        var revoking = new CountDownLatch(1);
        var revocation = CompletableFuture.runAsync(() -> {
            revoking.countDown();
            try {
                acknowledgments.revokeWhenEnded(List.of(partition(0)), Duration.ofMinutes(1));
            } catch (InterruptedException interrupted) {
                throw new IllegalStateException(interrupted);
            }
        });
        revoking.await();
        assertThat(revocation).as("waits while offset 40 is being answered").isNotDone();

        inFlight.run();
        revocation.get();

        assertThat(acknowledged).containsExactly("0@40");
    }

    @Test
    void aRevocationGivesUpWaitingAtItsTimeout() throws Exception {
        Runnable stuck = take(0, 50);

        acknowledgments.revokeWhenEnded(List.of(partition(0)), Duration.ofMillis(1));
        stuck.run();

        assertThat(acknowledged).isEmpty();
    }
}
