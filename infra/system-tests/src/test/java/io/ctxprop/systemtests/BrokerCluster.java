package io.ctxprop.systemtests;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Three real broker processes ({@code broker.sh --nodes 3 --node N}) forming one KRaft cluster on six
 * free ports, and what its Admin API says: who leads a partition, who coordinates a group, whether
 * every replica is back in sync.
 */
final class BrokerCluster implements AutoCloseable {

    static final int NODES = 3;

    private final List<BrokerProcess> nodes = new ArrayList<>();
    private final Path data;
    private final Admin admin;

    BrokerCluster() throws IOException, InterruptedException {
        int firstPort = Ports.freeBlock(2 * NODES);
        data = Files.createTempDirectory("kafka-cluster");
        // chosen here, once: three nodes launched at once would each make one (broker.sh keeps the first)
        Files.writeString(data.resolve("cluster.id"), Uuid.randomUuid().toString());
        for (int node = 1; node <= NODES; node++) {
            nodes.add(BrokerProcess.clusterNode(firstPort, data, node));
        }
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
        try {
            for (BrokerProcess node : nodes) {
                node.launch();
            }
            nodes.forEach(BrokerProcess::awaitListening);
            awaitRegistered();
        } catch (Throwable failed) {
            // a cluster that never formed is stopped here: the test's @AfterAll never sees it
            try {
                close();
            } catch (Throwable alsoFailed) {
                failed.addSuppressed(alsoFailed);
            }
            throw failed;
        }
    }

    /**
     * Until every node has registered with the controllers and is unfenced (a node listens before that). A
     * node that exits, or two minutes without a cluster, fails with what the cluster and each node said.
     */
    private void awaitRegistered() {
        try {
            await("all three brokers registered").atMost(Duration.ofSeconds(120))
                    .ignoreExceptionsInstanceOf(ExecutionException.class) // a node that takes connections before requests
                    .until(() -> {
                        for (BrokerProcess node : nodes) {
                            if (!node.alive()) {
                                throw new IllegalStateException("the node on port " + node.port() + " exited");
                            }
                        }
                        return liveBrokers() == NODES;
                    });
        } catch (ConditionTimeoutException | IllegalStateException failed) {
            var report = new StringBuilder(failed.getMessage()).append("\n").append(quorum());
            for (BrokerProcess node : nodes) {
                report.append("\n--- ").append(node.bootstrapServers()).append(node.alive() ? "" : " (exited)")
                        .append(": its errors, then the end of its log:\n").append(node.logErrors()).append("\n...\n").append(node.logTail(40));
            }
            throw new AssertionError(report.toString(), failed);
        }
    }

    /** The brokers the cluster knows, fenced ones included, and its controller quorum: which node lags or is fenced. */
    private String quorum() {
        try {
            var brokers = admin.describeCluster(new DescribeClusterOptions().includeFencedBrokers(true)).nodes().get(10, TimeUnit.SECONDS);
            var quorum = admin.describeMetadataQuorum().quorumInfo().get(10, TimeUnit.SECONDS);
            return "brokers (fenced included): " + brokers + "\nquorum: " + quorum;
        } catch (Exception unanswered) {
            return "the cluster did not say which brokers it knows: " + unanswered;
        }
    }

    String bootstrapServers() {
        return nodes.stream().map(BrokerProcess::bootstrapServers).collect(Collectors.joining(","));
    }

    /** Node 1, 2 or 3. */
    BrokerProcess node(int id) {
        return nodes.get(id - 1);
    }

    int liveBrokers() throws Exception {
        return admin.describeCluster().nodes().get().size();
    }

    int leaderOf(String topic, int partition) throws Exception {
        return describe(topic).partitions().get(partition).leader().id();
    }

    /** The broker the group's coordinator runs on. */
    int coordinatorOf(String group) throws Exception {
        return admin.describeConsumerGroups(List.of(group)).all().get().get(group).coordinator().id();
    }

    /** Partitions of the topic with a leader other than {@code node} and in-sync replicas on at least {@code inSync} brokers. */
    boolean ledElsewhere(String topic, int node, int inSync) throws Exception {
        return describe(topic).partitions().stream().allMatch(partition -> partition.leader() != null
                && partition.leader().id() != node && partition.isr().size() >= inSync);
    }

    /** Waits until every partition of the topics has all three replicas in sync again (a restarted node caught up). */
    void awaitAllInSync(String... topics) {
        await("every replica of " + String.join(", ", topics) + " in sync").atMost(Duration.ofSeconds(120)).ignoreExceptions()
                .until(() -> {
                    for (String topic : topics) {
                        for (TopicPartitionInfo partition : describe(topic).partitions()) {
                            if (partition.leader() == null || partition.isr().size() < NODES) {
                                return false;
                            }
                        }
                    }
                    return liveBrokers() == NODES;
                });
    }

    /** The topic's replication factor and its min.insync.replicas, as the cluster has them. */
    Map.Entry<Integer, String> replication(String topic) throws Exception {
        int replicas = describe(topic).partitions().getFirst().replicas().size();
        var resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        String minInsync = admin.describeConfigs(List.of(resource)).all().get().get(resource).get("min.insync.replicas").value();
        return Map.entry(replicas, minInsync);
    }

    private TopicDescription describe(String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
    }

    /**
     * Stops every node at once (SIGTERM); one still running after 10 s is killed (a node whose
     * controlled shutdown waits for a quorum the others already left never ends). Deletes the data.
     */
    @Override
    public void close() throws InterruptedException {
        admin.close(Duration.ofSeconds(2));
        for (BrokerProcess node : nodes) {
            if (node.alive()) {
                node.signalStop();
            }
        }
        for (BrokerProcess node : nodes) {
            node.awaitExit(Duration.ofSeconds(10));
        }
        try (var files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException leftBehind) {
            // a temporary folder: the machine's own clean-up takes what is left
        }
    }
}
