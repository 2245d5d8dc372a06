package io.ctxprop.systemtests;

import static io.ctxprop.systemtests.AskLoad.percentileMillis;
import static io.ctxprop.systemtests.GatewayStatus.holdsPartitions;
import static io.ctxprop.systemtests.Traces.askOk;
import static io.ctxprop.systemtests.Traces.notWholeKafkaTraces;
import static io.ctxprop.systemtests.Traces.traceIdOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.systemtests.AskLoad.Timed;
import io.ctxprop.systemtests.CommittedOffsetSampler.Read;
import io.ctxprop.telemetry.testing.KafkaTestClients;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Kafka as a cluster: three real broker processes (KRaft, each broker and controller), two gateways and
 * an application, and the cluster's failures under load: the partition leader killed, a rolling
 * restart, the group coordinator killed, two of three brokers down. One cluster serves every scenario;
 * each starts with every replica in sync (the last leaves a node down: it is the last for that reason).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailoverIT {

    static final String REQUESTS = "llm.requests";
    static final String REPLIES = "llm.replies";
    static final String GROUP = "llm-gateway";
    static final String[] REPLICATED = {REQUESTS, REPLIES, "__consumer_offsets"};
    static final int CLIENTS = 16;
    /** The application's delivery timeout (KAFKA_DELIVERY_TIMEOUT_MS): how long a write may take before a 503. */
    static final long DELIVERY_TIMEOUT_MS = 15_000;

    static BrokerCluster cluster;
    static Stack stack;
    static List<ServiceProcess> gateways;
    static ServiceProcess application;

    @BeforeAll
    static void start() throws Exception {
        cluster = new BrokerCluster();
        stack = Stack.on(cluster.bootstrapServers());
        // a model that takes half a second keeps 16 callers (32 requests/s at most) from using up both
        // cores, which a broker needs to restart in seconds
        // The gateways' per-request "Answered" lines (DEBUG) are how this test counts what each answered.
        Map<String, String> model = Map.of("OFFLINE_MODEL_LATENCY", "500ms", "LOGGING_LEVEL_IO_CTXPROP_GATEWAY_PROCESS", "DEBUG");
        try (var starting = Executors.newVirtualThreadPerTaskExecutor()) {
            var first = starting.submit(() -> stack.gateway("gateway-cluster-1", model));
            var second = starting.submit(() -> stack.gateway("gateway-cluster-2", model));
            gateways = List.of(first.get(), second.get());
        }
        application = stack.application("application-cluster", gateways.getFirst(), Map.of());
        askOk(application, "{\"text\":\"warm up\",\"transport\":\"kafka\"}");
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void everyReplicaInSync() {
        cluster.awaitAllInSync(REPLICATED);
    }

    @Test
    @Order(1)
    void theServicesCreateTheirTopicsOnAllThreeBrokersWithTwoInSync() throws Exception {
        for (String topic : List.of(REQUESTS, REPLIES, "llm.requests-dlt")) {
            assertThat(cluster.replication(topic)).as(topic).isEqualTo(Map.entry(3, "2"));
        }
        assertThat(gateways.getFirst().log()).contains("replication factor 3, min.insync.replicas 2 (derived from 3 broker(s))");
        assertThat(application.log()).contains("replication factor 3, min.insync.replicas 2 (derived from 3 broker(s))");
    }

    @Test
    @Order(2)
    void theLeaderOfTheRequestPartitionKilledUnderLoadCostsNoRequest() throws Exception {
        int requests = ReliabilityReport.count(1000, 200);
        int leader = cluster.leaderOf(REQUESTS, 0);
        var load = startLoad();

        long killedAt = System.nanoTime();
        cluster.node(leader).kill();
        await("the partitions led by the other two brokers").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> cluster.ledElsewhere(REQUESTS, leader, 2) && cluster.ledElsewhere(REPLIES, leader, 2));
        long failedOverAt = System.nanoTime();
        List<Timed> calls = finish(load, requests);
        cluster.node(leader).start();

        List<Timed> duringFailover = calls.stream().filter(call -> call.overlaps(killedAt, failedOverAt)).toList();
        List<String> notWhole = notWholeKafkaTraces(stack.collector, traceIds(calls));
        ReliabilityReport.record("three brokers: the leader of llm.requests-0 killed (SIGKILL) while 16 clients ask over Kafka without pause",
                "sent", calls.size(), "answered", answered(calls), "failed", calls.size() - answered(calls),
                "traces whole", answered(calls) - notWhole.size(), "failover took (ms)", (failedOverAt - killedAt) / 1_000_000,
                "requests during the failover", duringFailover.size(), "their p50 / p99 / max (ms)",
                percentileMillis(duringFailover, 50) + " / " + percentileMillis(duringFailover, 99) + " / " + percentileMillis(duringFailover, 100),
                "p99 of all (ms)", percentileMillis(calls, 99));

        assertEveryRequestAnswered(calls);
        assertThat(notWhole).as("traces missing a span or a parent").isEmpty();
    }

    @Test
    @Order(3)
    void aRollingRestartOfTheThreeBrokersCostsNoRequest() throws Exception {
        int requests = ReliabilityReport.count(1000, 200);
        var load = startLoad();

        long from = System.nanoTime();
        var steps = new StringJoiner("; ");
        for (int node = 1; node <= BrokerCluster.NODES; node++) {
            long stopping = System.nanoTime();
            cluster.node(node).stop();
            long starting = System.nanoTime();
            cluster.node(node).start();
            long listening = System.nanoTime();
            cluster.awaitAllInSync(REPLICATED);
            steps.add("node " + node + " " + seconds(starting - stopping) + " / " + seconds(listening - starting) + " / "
                    + seconds(System.nanoTime() - listening));
        }
        long to = System.nanoTime();
        List<Timed> calls = finish(load, requests);

        List<Timed> duringRestart = calls.stream().filter(call -> call.overlaps(from, to)).toList();
        List<String> notWhole = notWholeKafkaTraces(stack.collector, traceIds(calls));
        ReliabilityReport.record("three brokers restarted one at a time (SIGTERM, back in the ISR, the next) while 16 clients ask over Kafka",
                "sent", calls.size(), "answered", answered(calls), "failed", calls.size() - answered(calls),
                "traces whole", answered(calls) - notWhole.size(), "restart took (s)", seconds(to - from), "stop / start / back in sync (s)", steps,
                "p99 / max during the restart (ms)", percentileMillis(duringRestart, 99) + " / " + percentileMillis(duringRestart, 100));

        assertEveryRequestAnswered(calls);
        assertThat(notWhole).as("traces missing a span or a parent").isEmpty();
    }

    /**
     * The check the next scenario relies on can fail: a commit that really moves back (here an older
     * offset committed on purpose, as a gateway would commit it, for a group of its own) is caught by
     * the stable reads, on this cluster.
     */
    @Test
    @Order(4)
    void aCommitThatGoesBackIsCaughtByTheStableReads() throws Exception {
        String group = "offsets-going-back";
        var partition = new TopicPartition(REQUESTS, 0);
        try (var committed = new CommittedOffsetSampler(cluster.bootstrapServers(), group, REQUESTS, Read.STABLE);
                var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            admin.alterConsumerGroupOffsets(group, Map.of(partition, new OffsetAndMetadata(2))).all().get();
            await("the commit of offset 2 read").atMost(Duration.ofSeconds(30)).until(() -> committed.highest(0) == 2);
            assertThat(committed.wentBack()).isEmpty();

            admin.alterConsumerGroupOffsets(group, Map.of(partition, new OffsetAndMetadata(1))).all().get();
            await("the commit of offset 1 caught").atMost(Duration.ofSeconds(30)).until(() -> !committed.wentBack().isEmpty());
            assertThat(committed.wentBack()).allSatisfy(entry -> assertThat(entry).startsWith(REQUESTS + "-0: 2 -> 1 at "));
        }
    }

    /**
     * Commits are sampled with {@code requireStable}, as a consumer reads where it resumes: that is
     * what "commits never move back" is about. Reads without it are sampled alongside and only counted:
     * Kafka 4's group coordinator serves them from its state at the high watermark of its
     * {@code __consumer_offsets} partition, and the broker that has just taken over that partition from
     * the killed one has a high watermark behind its log until its followers fetch from it again, so for
     * a moment it answers commits older than those the dead coordinator already served (one run of four
     * on 2026-12-07 failed on exactly that: four partitions, 1-2 back, in one sample). The gateways'
     * commits did not move back; the broker's answer did. docs/reliability.md has the source references.
     */
    @Test
    @Order(5)
    void theGroupCoordinatorKilledWhileGatewaysHoldPartitionsAnswersEachRequestAndCountsTheRepeats() throws Exception {
        int requests = ReliabilityReport.count(1000, 200);
        String brokers = cluster.bootstrapServers();
        int coordinator = cluster.coordinatorOf(GROUP);
        long extraRepliesBefore = extraReplies(brokers);
        long duplicatesDroppedBefore = duplicatesDropped();
        var load = startLoad();
        await("both gateways hold partitions").atMost(Duration.ofSeconds(60)).until(() -> holdsPartitions(gateways.get(0))
                && holdsPartitions(gateways.get(1)));

        List<Timed> calls;
        long uncommittedAtKill;
        int sentInTheOutage;
        long rejoinedMs;
        long killedAtMs;
        int stableSamples;
        int stableWentBack;
        List<String> highWatermarkWentBack;
        try (var committed = new CommittedOffsetSampler(brokers, GROUP, REQUESTS, Read.STABLE);
                var atHighWatermark = new CommittedOffsetSampler(brokers, GROUP, REQUESTS, Read.AT_HIGH_WATERMARK)) {
            uncommittedAtKill = uncommitted(brokers);
            int sentAtKill = load.sent();
            long[] answeredAtKill = {answered(gateways.get(0)), answered(gateways.get(1))};
            long killedAt = System.nanoTime();
            killedAtMs = atHighWatermark.millis();
            cluster.node(coordinator).kill();
            await("a coordinator on another broker").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> cluster.coordinatorOf(GROUP) != coordinator);
            await("both gateways hold partitions and answer again").atMost(Duration.ofSeconds(120)).until(() ->
                    holdsPartitions(gateways.get(0)) && holdsPartitions(gateways.get(1))
                            && answered(gateways.get(0)) > answeredAtKill[0] && answered(gateways.get(1)) > answeredAtKill[1]);
            rejoinedMs = (System.nanoTime() - killedAt) / 1_000_000;
            sentInTheOutage = load.sent() - sentAtKill;
            calls = finish(load, requests);
            cluster.node(coordinator).start();
            KafkaTestClients.awaitCommittedToTheEnd(brokers, GROUP, REQUESTS);
            stableSamples = committed.samples();
            stableWentBack = committed.wentBack().size();
            highWatermarkWentBack = atHighWatermark.wentBack();
            assertThat(committed.samples()).as("committed offsets were sampled through the run").isGreaterThan(10);
            assertThat(committed.wentBack()).as("committed offsets (stable reads) that went backwards").isEmpty();
        }

        long extra = extraReplies(brokers) - extraRepliesBefore;
        List<String> notWhole = notWholeKafkaTraces(stack.collector, traceIds(calls));
        ReliabilityReport.record("three brokers: the consumer group's coordinator killed (SIGKILL) while two gateways hold the partitions",
                "sent", calls.size(), "answered", answered(calls), "failed", calls.size() - answered(calls),
                "traces whole", answered(calls) - notWhole.size(), "gateways answering again after (ms)", rejoinedMs,
                "uncommitted at the kill", uncommittedAtKill, "sent until both answered again", sentInTheOutage,
                "answered twice (extra replies; at-least-once)", extra,
                "duplicates the application dropped", duplicatesDropped() - duplicatesDroppedBefore,
                "committed-offset samples (requireStable)", stableSamples, "went backwards", stableWentBack,
                "coordinator killed at (ms of sampling)", killedAtMs,
                "reads without requireStable that went back (the new coordinator's high-watermark state, not a commit)",
                highWatermarkWentBack.isEmpty() ? "none" : String.join("; ", highWatermarkWentBack));

        assertEveryRequestAnswered(calls);
        assertThat(notWhole).as("traces missing a span or a parent").isEmpty();
        assertThat(extra).as("only requests not yet committed when the coordinator went, or taken while it was away, may be answered again")
                .isLessThanOrEqualTo(uncommittedAtKill + sentInTheOutage);
    }

    @Test
    @Order(6)
    void twoOfThreeBrokersDownKafkaFailsFastWithA503AndAnswersAgainWhenOneIsBack() throws Exception {
        var kafka = AskLoad.closedLoop(application, 8);
        var http = AskLoad.closedLoop(application, 4, "http");
        await("answers over both transports").atMost(Duration.ofSeconds(60)).until(() -> kafka.withStatus(200) >= 8 && http.withStatus(200) >= 4);

        cluster.node(2).stop();
        cluster.node(3).stop();
        long downAt = System.nanoTime();
        await("Kafka requests sent with two brokers down have ended").atMost(Duration.ofSeconds(120))
                .until(() -> kafka.timed().stream().filter(call -> call.startedNanos() >= downAt).count() >= 8);
        long backAt = System.nanoTime();
        cluster.node(2).start();
        await("Kafka answers again, no service restarted").atMost(Duration.ofSeconds(120)).until(() -> kafka.timed().stream()
                .filter(call -> call.startedNanos() >= backAt && call.status() == 200).count() >= 8);
        kafka.stop();
        http.stop();
        kafka.awaitAll(Duration.ofSeconds(60));
        http.awaitAll(Duration.ofSeconds(60));

        List<Timed> kafkaWhileDown = kafka.timed().stream().filter(call -> call.startedNanos() >= downAt && call.endedNanos() < backAt).toList();
        List<Timed> httpWhileDown = http.timed().stream().filter(call -> call.overlaps(downAt, backAt)).toList();
        long answeredAgainMs = kafka.timed().stream().filter(call -> call.startedNanos() >= backAt && call.status() == 200)
                .mapToLong(call -> (call.endedNanos() - backAt) / 1_000_000).min().orElseThrow();
        ReliabilityReport.record("three brokers, two of them down (SIGTERM), then one back, under load over both transports",
                "Kafka requests while two were down", kafkaWhileDown.size(),
                "of which 503", kafkaWhileDown.stream().filter(call -> call.status() == 503).count(),
                "slowest 503 (ms)", percentileMillis(kafkaWhileDown, 100),
                "HTTP requests meanwhile", httpWhileDown.size(), "of which answered", httpWhileDown.stream().filter(call -> call.status() == 200).count(),
                "first Kafka answer after a broker came back (ms)", answeredAgainMs);

        assertThat(kafkaWhileDown).isNotEmpty().allSatisfy(call -> {
            assertThat(call.status()).as(call.body()).isEqualTo(503);
            assertThat(call.body()).contains("\"title\":\"Kafka unavailable\"").containsPattern("\"traceId\":\"[0-9a-f]{32}\"");
            assertThat(call.millis()).as("a 503 within the delivery timeout").isLessThan(DELIVERY_TIMEOUT_MS + 5_000);
        });
        assertThat(httpWhileDown).isNotEmpty().allSatisfy(call -> assertThat(call.status()).as(call.body()).isEqualTo(200));
    }

    /** 16 callers asking over Kafka without pause, once each has had an answer. */
    private static AskLoad startLoad() {
        var load = AskLoad.closedLoop(application, CLIENTS);
        await("every client answered once").atMost(Duration.ofSeconds(60)).until(() -> load.withStatus(200) >= CLIENTS);
        return load;
    }

    /** Goes on until at least {@code requests} were sent (and a few more after the fault), then stops the callers. */
    private static List<Timed> finish(AskLoad load, int requests) {
        int atLeast = Math.max(requests, load.sent() + CLIENTS);
        await(atLeast + " requests sent").atMost(Duration.ofSeconds(600)).until(() -> load.sent() >= atLeast);
        load.stop();
        load.awaitAll(Duration.ofSeconds(120));
        return load.timed();
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
    }

    private static void assertEveryRequestAnswered(List<Timed> calls) {
        assertThat(calls).allSatisfy(call -> assertThat(call.status()).as(call.body()).isEqualTo(200));
    }

    private static long answered(List<Timed> calls) {
        return calls.stream().filter(call -> call.status() == 200).count();
    }

    private static List<String> traceIds(List<Timed> calls) {
        return calls.stream().filter(call -> call.status() == 200).map(call -> traceIdOf(call.body())).toList();
    }

    private static long answered(ServiceProcess gateway) throws Exception {
        return gateway.log().lines().filter(line -> line.contains("Answered ")).count();
    }

    private static long duplicatesDropped() throws Exception {
        return application.log().lines().filter(line -> line.contains("Duplicate reply dropped")).count();
    }

    /** Replies beyond the first for a correlation id, on the whole reply topic. */
    private static long extraReplies(String brokers) {
        return AskLoad.repliesPerCorrelationId(brokers, REPLIES).values().stream().mapToLong(count -> count - 1).sum();
    }

    /** Request records written and not yet committed by the gateways' group. */
    private static long uncommitted(String brokers) throws Exception {
        Map<Integer, Long> committed = KafkaTestClients.committedOffsets(brokers, GROUP, REQUESTS);
        return KafkaTestClients.endOffsets(brokers, REQUESTS).entrySet().stream()
                .mapToLong(end -> end.getValue() - committed.getOrDefault(end.getKey(), 0L)).sum();
    }
}
