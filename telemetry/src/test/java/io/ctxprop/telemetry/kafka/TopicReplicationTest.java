package io.ctxprop.telemetry.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaAdmin;

class TopicReplicationTest {

    @Test
    void threeBrokersOrMoreGiveThreeReplicasAndTwoInSync() {
        for (int brokers : new int[] {3, 5}) {
            var topic = TopicReplication.of(null, null, OptionalInt.of(brokers)).topic("llm.requests", 6);
            assertThat(topic.replicationFactor()).isEqualTo((short) 3);
            assertThat(topic.configs()).containsEntry("min.insync.replicas", "2");
        }
    }

    @Test
    void fewerBrokersGiveOneReplicaEachAndOneInSync() {
        assertThat(TopicReplication.of(null, null, OptionalInt.of(1)).topic("t", 6).replicationFactor()).isEqualTo((short) 1);
        var two = TopicReplication.of(null, null, OptionalInt.of(2)).topic("t", 6);
        assertThat(two.replicationFactor()).isEqualTo((short) 2);
        assertThat(two.configs()).containsEntry("min.insync.replicas", "1");
    }

    @Test
    void configuredValuesWin() {
        var topic = TopicReplication.of(2, 2, OptionalInt.of(5)).topic("t", 6);
        assertThat(topic.replicationFactor()).isEqualTo((short) 2);
        assertThat(topic.configs()).containsEntry("min.insync.replicas", "2");
        assertThat(TopicReplication.of(3, null, OptionalInt.empty()).minInsyncReplicas()).hasValue(2);
    }

    @Test
    void withoutAnAnswerFromTheClusterTheBrokersDefaultsApply() {
        var replication = TopicReplication.resolve(null, null,
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1"), Duration.ofMillis(500));
        assertThat(replication.replicationFactor()).isEqualTo(Optional.empty());
        assertThat(replication.topic("t", 6).replicationFactor()).isEqualTo((short) -1);
        assertThat(replication.topic("t", 6).configs()).as("no topic settings of its own").isNullOrEmpty();
        assertThat(replication.toString()).contains("the cluster did not answer");
    }

    @Test
    void topicsThatAreNotCreatedCostNoQuestionToTheCluster() {
        var admin = new KafkaAdmin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1"));
        long started = System.nanoTime();
        var replication = TopicReplication.forTopicsOf(admin, false, null, null);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(500));
        assertThat(replication.replicationFactor()).isEmpty();
    }
}
