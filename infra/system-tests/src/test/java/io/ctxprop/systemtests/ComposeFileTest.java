package io.ctxprop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Docker cannot run here, so the compose stack is checked for what can be checked without it: the file
 * parses, every project variable it sets or interpolates is one that .env documents, the ports are the
 * design's, the gateway scales, everything has a health check and starts in order, and the image
 * recipe is multi-stage and runs as a non-root user.
 */
class ComposeFileTest {

    static final Path ROOT = Path.of(System.getProperty("project.root", "../..")).toAbsolutePath().normalize();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> compose() throws IOException {
        return new Yaml().load(Files.readString(ROOT.resolve("infra/compose.yaml")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) throws IOException {
        return (Map<String, Object>) ((Map<String, Object>) compose().get("services")).get(name);
    }

    private static Set<String> dotEnvNames() throws IOException {
        return Files.readAllLines(ROOT.resolve(".env")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.substring(0, line.indexOf('=')))
                .collect(Collectors.toSet());
    }

    @Test
    @SuppressWarnings("unchecked")
    void definesTheFourServices() throws IOException {
        assertThat(((Map<String, ?>) compose().get("services")).keySet())
                .containsExactlyInAnyOrder("kafka", "phoenix", "gateway", "application", "prometheus");
        assertThat(Files.readString(ROOT.resolve("infra/prometheus/prometheus.yml"))).contains("application:9464").contains("port: 9465");
    }

    @Test
    void everyVariableTheServicesUseIsDocumentedInDotEnv() throws IOException {
        Set<String> documented = dotEnvNames();
        for (String name : List.of("gateway", "application")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> environment = (Map<String, Object>) service(name).get("environment");
            // OTEL_* are the SDK's own variables, documented by OpenTelemetry
            assertThat(documented).as("variables set for " + name)
                    .containsAll(environment.keySet().stream().filter(key -> !key.startsWith("OTEL_")).toList());
            assertThat(service(name).get("env_file").toString()).contains("../.env").contains("../.env.local");
        }
        var interpolated = Pattern.compile("\\$\\{([A-Z0-9_]+)").matcher(Files.readString(ROOT.resolve("infra/compose.yaml")));
        while (interpolated.find()) {
            assertThat(documented).contains(interpolated.group(1));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void portsAreTheDesigns() throws IOException {
        assertThat((List<Object>) service("application").get("ports")).containsExactly("127.0.0.1:5000:5000");
        assertThat(((Map<?, ?>) service("application").get("environment")).get("APP_PORT")).isEqualTo(5000);
        assertThat(((Map<?, ?>) service("gateway").get("environment")).get("GATEWAY_PORT")).isEqualTo(5001);
        assertThat(((Map<?, ?>) service("application").get("environment")).get("GATEWAY_URL")).isEqualTo("http://gateway:5001/process");
        assertThat((List<Object>) service("kafka").get("ports")).containsExactly("127.0.0.1:9092:9094");
        assertThat((List<Object>) service("phoenix").get("ports")).containsExactly("127.0.0.1:6006:6006", "127.0.0.1:4317:4317");
        assertThat((List<Object>) service("prometheus").get("ports")).containsExactly("127.0.0.1:9090:9090");
        assertThat(Files.readString(ROOT.resolve(".env"))).contains("APP_PORT=5000").contains("GATEWAY_PORT=5001")
                .contains("KAFKA_BOOTSTRAP_SERVERS=localhost:9092");
    }

    @Test
    void theKafkaServiceIsConfiguredTheWayTheImageReadsIt() throws IOException {
        Map<?, ?> kafka = service("kafka");
        Map<?, ?> environment = (Map<?, ?>) kafka.get("environment");
        String volume = ((List<?>) kafka.get("volumes")).getFirst().toString();
        String mounted = volume.substring(volume.indexOf(':') + 1);
        assertThat(environment.get("KAFKA_LOG_DIRS")).as("the image persists nothing unless its log directory is the volume")
                .isEqualTo(mounted);
        assertThat(environment.get("KAFKA_PROCESS_ROLES").toString()).contains("broker").contains("controller");
        String voters = environment.get("KAFKA_CONTROLLER_QUORUM_VOTERS").toString();
        assertThat(voters).as("the quorum names this node").startsWith(environment.get("KAFKA_NODE_ID") + "@kafka:");
        String controllerPort = voters.substring(voters.lastIndexOf(':') + 1);
        assertThat(environment.get("KAFKA_LISTENERS").toString()).contains("CONTROLLER://:" + controllerPort);
        assertThat(environment.get("KAFKA_CONTROLLER_LISTENER_NAMES")).isEqualTo("CONTROLLER");
        String listeners = environment.get("KAFKA_LISTENERS").toString();
        for (String name : environment.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").toString().split(",")) {
            assertThat(listeners).as("every mapped listener is opened").contains(name.substring(0, name.indexOf(':')) + "://");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyImageIsPinnedAndEveryPortIsOnTheHostsLoopback() throws IOException {
        for (var entry : ((Map<String, Map<String, Object>>) compose().get("services")).entrySet()) {
            Object image = entry.getValue().get("image");
            if (image != null) {
                assertThat(image.toString()).as(entry.getKey()).matches("[^:]+:[^:]+").doesNotEndWith(":latest");
            }
            for (Object port : (List<Object>) entry.getValue().getOrDefault("ports", List.of())) {
                assertThat(port.toString()).as(entry.getKey()).startsWith("127.0.0.1:");
            }
        }
    }

    @Test
    void theServicesListenInsideTheNetworkAndNeedTheirKeys() throws IOException {
        String file = Files.readString(ROOT.resolve("infra/compose.yaml"));
        for (String name : List.of("gateway", "application")) {
            Map<?, ?> environment = (Map<?, ?>) service(name).get("environment");
            assertThat(environment.get("SERVER_ADDRESS")).as(name).isEqualTo("0.0.0.0");
            assertThat(environment.get("GATEWAY_API_KEY").toString()).as("compose refuses to start without the key")
                    .startsWith("${GATEWAY_API_KEY:?");
        }
        assertThat(((Map<?, ?>) service("application").get("environment")).get("INSPECTOR_INGEST_KEY").toString())
                .startsWith("${INSPECTOR_INGEST_KEY:?");
        Map<?, ?> gateway = (Map<?, ?>) service("gateway").get("environment");
        assertThat(gateway.get("OTEL_EXPORTER_OTLP_TRACES_HEADERS").toString()).as("the key with the traces only, never to a metrics or logs endpoint")
                .isEqualTo("Authorization=Bearer%20${INSPECTOR_INGEST_KEY:?set INSPECTOR_INGEST_KEY in .env.local and pass --env-file .env.local}");
        assertThat(gateway.containsKey("OTEL_EXPORTER_OTLP_HEADERS")).as("the generic headers go to every OTLP exporter").isFalse();
        assertThat(file).contains("--env-file .env.local");
    }

    /**
     * The application's own spans stay in-process: it has no OTLP endpoint of its own in compose, so
     * .env's, its own port on localhost, applies (the telemetry drops OTLP to itself). Pointed at
     * http://application:5000 it would post them to its own /v1/traces without the ingest key: 401 every batch.
     */
    @Test
    void theApplicationDoesNotExportToItselfOverTheNetwork() throws IOException {
        Map<?, ?> application = (Map<?, ?>) service("application").get("environment");
        assertThat(application.containsKey("OTEL_EXPORTER_OTLP_ENDPOINT") || application.containsKey("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))
                .as("an OTLP endpoint of the application's own").isFalse();
        assertThat(Files.readAllLines(ROOT.resolve(".env"))).contains("OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:" + application.get("APP_PORT"))
                .noneMatch(line -> line.startsWith("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="));
    }

    @Test
    void theMinimumComposeVersionIsSaid() throws IOException {
        assertThat(Files.readString(ROOT.resolve("infra/compose.yaml"))).contains("Docker Compose v2.24 or newer");
        assertThat(Files.readString(ROOT.resolve("README.md"))).contains("Docker Compose v2.24 or newer");
    }

    @Test
    void theGatewayScales() throws IOException {
        assertThat(service("gateway")).doesNotContainKeys("container_name", "ports");
    }

    @Test
    void everythingHasAHealthCheckAndStartsInOrder() throws IOException {
        for (String name : List.of("kafka", "phoenix", "gateway", "application", "prometheus")) {
            assertThat(service(name)).as(name).containsKey("healthcheck");
        }
        assertThat(service("gateway").get("depends_on").toString()).contains("kafka={condition=service_healthy}");
        assertThat(service("application").get("depends_on").toString()).contains("gateway={condition=service_healthy}");
    }

    @Test
    void theImageIsMultiStageAndRunsAsNonRoot() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("infra/docker/Dockerfile"));
        assertThat(Pattern.compile("(?m)^FROM ").matcher(dockerfile).results().count()).isEqualTo(2);
        assertThat(dockerfile).containsPattern("(?m)^USER 10001");
        assertThat(service("gateway").get("build").toString()).contains("SERVICE=gateway-service");
        assertThat(service("application").get("build").toString()).contains("SERVICE=application-service");
        assertThat(Files.readString(ROOT.resolve(".dockerignore"))).contains("**/target/").contains(".env.local");
    }
}
