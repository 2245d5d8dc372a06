package io.ctxprop.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.Acknowledgment;

class InOrderAcknowledgmentsTest {

    private final InOrderAcknowledgments acknowledgments = new InOrderAcknowledgments();
    private final List<String> acknowledged = new ArrayList<>();

    private Runnable take(int partition, long offset) {
        var record = new ConsumerRecord<>("llm.requests", partition, offset, "key", "value");
        Acknowledgment acknowledgment = () -> acknowledged.add(partition + "@" + offset);
        return acknowledgments.track(record, acknowledgment);
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
        take(0, 1); // failed: never answered
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
}
