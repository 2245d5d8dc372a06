package io.ctxprop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The compose cluster variant ({@code -f infra/compose.yaml -f infra/compose.cluster.yaml}), checked
 * without Docker: merged as Compose merges an override file, it runs three KRaft nodes that agree on
 * their quorum and cluster id, persist to their volumes, publish 9092/9094/9096 to the host as they
 * advertise them, and the services are given all three brokers.
 */
class ComposeClusterFileTest {

    static final List<String> NODES = List.of("kafka", "kafka-2", "kafka-3");

    @Test
    void threeNodesFormOneQuorumWithEverythingReplicatedThreeTimes() throws IOException {
        Map<String, Object> services = mergedServices();
        assertThat(services).containsKeys("kafka", "kafka-2", "kafka-3", "gateway", "application");
        var voters = new LinkedHashSet<Object>();
        var clusterIds = new LinkedHashSet<Object>();
        for (int i = 0; i < NODES.size(); i++) {
            Map<?, ?> environment = environment(services, NODES.get(i));
            assertThat(environment.get("KAFKA_NODE_ID")).as(NODES.get(i)).isEqualTo(i + 1);
            assertThat(environment.get("KAFKA_CONTROLLER_QUORUM_VOTERS").toString()).contains((i + 1) + "@" + NODES.get(i) + ":9093");
            assertThat(environment.get("KAFKA_LISTENERS").toString()).contains("CONTROLLER://:9093");
            assertThat(environment.get("KAFKA_PROCESS_ROLES").toString()).contains("broker").contains("controller");
            for (String factor : List.of("KAFKA_DEFAULT_REPLICATION_FACTOR", "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR",
                    "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR")) {
                assertThat(environment.get(factor)).as(factor).isEqualTo(3);
            }
            voters.add(environment.get("KAFKA_CONTROLLER_QUORUM_VOTERS"));
            clusterIds.add(environment.get("CLUSTER_ID"));
        }
        assertThat(voters).as("one quorum").hasSize(1);
        assertThat(clusterIds).as("one cluster id").hasSize(1).doesNotContainNull();
    }

    @Test
    void eachNodePersistsToItsVolumeAndIsReachedFromTheHostWhereItSaysItIs() throws IOException {
        Map<String, Object> services = mergedServices();
        List<String> hostPorts = List.of("9092", "9094", "9096");
        for (int i = 0; i < NODES.size(); i++) {
            Map<?, ?> node = (Map<?, ?>) services.get(NODES.get(i));
            Map<?, ?> environment = environment(services, NODES.get(i));
            String volume = ((List<?>) node.get("volumes")).getFirst().toString();
            assertThat(environment.get("KAFKA_LOG_DIRS")).as("the image persists nothing unless its log directory is the volume")
                    .isEqualTo(volume.substring(volume.indexOf(':') + 1));
            assertThat(node.get("ports")).as("published on the host's loopback only").isEqualTo(List.of("127.0.0.1:" + hostPorts.get(i) + ":9094"));
            assertThat(environment.get("KAFKA_ADVERTISED_LISTENERS").toString())
                    .contains("INTERNAL://" + NODES.get(i) + ":9092").contains("EXTERNAL://localhost:" + hostPorts.get(i));
            assertThat(node.containsKey("healthcheck")).as("health check").isTrue();
            assertThat(((Map<?, ?>) node.get("healthcheck")).get("test").toString()).contains("--bootstrap-server " + NODES.get(i) + ":9092");
        }
    }

    @Test
    void theServicesAreGivenAllThreeBrokersAndWaitForThem() throws IOException {
        Map<String, Object> services = mergedServices();
        for (String service : List.of("gateway", "application")) {
            assertThat(environment(services, service).get("KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("kafka:9092,kafka-2:9092,kafka-3:9092");
            String dependsOn = ((Map<?, ?>) services.get(service)).get("depends_on").toString();
            for (String node : NODES) {
                assertThat(dependsOn).contains(node + "={condition=service_healthy}");
            }
        }
        assertThat(Files.readString(ComposeFileTest.ROOT.resolve("infra/compose.cluster.yaml")))
                .contains("docker compose -f infra/compose.yaml -f infra/compose.cluster.yaml up");
    }

    private static Map<?, ?> environment(Map<String, Object> services, String service) {
        return (Map<?, ?>) ((Map<?, ?>) services.get(service)).get("environment");
    }

    /** compose.yaml's services with compose.cluster.yaml's merged over them: maps key by key, lists appended. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> mergedServices() throws IOException {
        Map<String, Object> base = new Yaml().load(Files.readString(ComposeFileTest.ROOT.resolve("infra/compose.yaml")));
        Map<String, Object> cluster = new Yaml().load(Files.readString(ComposeFileTest.ROOT.resolve("infra/compose.cluster.yaml")));
        return (Map<String, Object>) merge(base.get("services"), cluster.get("services"));
    }

    @SuppressWarnings("unchecked")
    private static Object merge(Object base, Object override) {
        if (base instanceof Map<?, ?> baseMap && override instanceof Map<?, ?> overrideMap) {
            Map<Object, Object> merged = new LinkedHashMap<>(baseMap);
            overrideMap.forEach((key, value) -> merged.put(key, merged.containsKey(key) ? merge(merged.get(key), value) : value));
            return merged;
        }
        if (base instanceof List<?> baseList && override instanceof List<?> overrideList) {
            List<Object> merged = new ArrayList<>(baseList);
            overrideList.stream().filter(item -> !merged.contains(item)).forEach(merged::add);
            return merged;
        }
        return override;
    }
}
