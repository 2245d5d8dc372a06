package io.ctxprop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ctxprop.telemetry.testing.KafkaTestClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code infra/scripts/kafka-replies.sh} with no argument, as {@code ./run.sh} tells users to run it:
 * it follows the reply topic and prints each reply as it arrives, while it still runs. Under mawk
 * (Debian's default awk, which buffers its input unless told otherwise), with each Kafka client
 * the script can use.
 */
class KafkaScriptsIT {

    static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack();
        stack.gateway("gateway-for-scripts", Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"console", "kcat"})
    void theRepliesFollowerPrintsEachReplyWhileItRuns(String client, @TempDir Path shims) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/mawk")), "mawk is not installed");
        assumeTrue(!client.equals("kcat") || onPath("kcat"), "kcat is not installed (apt-get install kcat)");
        Files.createSymbolicLink(shims.resolve("awk"), Path.of("/usr/bin/mawk"));
        Path output = shims.resolve("follower.out");
        var builder = new ProcessBuilder("infra/scripts/kafka-replies.sh", "--bootstrap", stack.broker.getBrokersAsString())
                .directory(RunScriptIT.ROOT.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("PATH", shims + ":" + System.getenv("PATH"));
        builder.environment().put("KAFKA_SCRIPTS_CLIENT", client);
        Process follower = builder.start();
        try {
            AtomicInteger sent = new AtomicInteger();
            String prefix = "follow-" + client + "-";
            // it reads from the end of the topic: ask again until it has joined and a reply comes through
            await("a reply printed by the follower").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                assertThat(follower.isAlive()).as("the follower runs: " + Files.readString(output)).isTrue();
                KafkaTestClients.send(stack.broker.getBrokersAsString(), new ProducerRecord<>("llm.requests",
                        prefix + sent.incrementAndGet(), "hello from the scripts test".getBytes(StandardCharsets.UTF_8)));
                return Files.readString(output).contains("correlation id: " + prefix);
            });
            String printed = Files.readString(output);
            assertThat(follower.isAlive()).as("printed while it still runs").isTrue();
            assertThat(printed).containsPattern("trace id: +[0-9a-f]{32}").contains("text:           Offline model answer");
        } finally {
            follower.descendants().forEach(ProcessHandle::destroy);
            follower.destroy();
        }
    }

    private static boolean onPath(String command) {
        for (String directory : System.getenv("PATH").split(":")) {
            if (Files.isExecutable(Path.of(directory, command))) {
                return true;
            }
        }
        return false;
    }
}
