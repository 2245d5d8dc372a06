package io.ctxprop.systemtests;

import static io.ctxprop.systemtests.Traces.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ctxprop.telemetry.testing.ReceivedSpans.ReceivedSpan;
import java.io.FileReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka as managed clusters run it, started the way users start it: {@code broker.sh --secure} as a
 * process (SASL_SSL with SCRAM-SHA-512 over TLS, ACLs, the topics made by the script), both services as
 * processes logging in as their own principals through Spring Boot's own settings, and the scripts as
 * the principal {@code client}. One broker and one stack for every check.
 */
class SecureKafkaIT {

    static final Pattern PASSWORD = Pattern.compile("password=\"([^\"]*)\"");

    static Path data;
    static Path secure;
    static Process broker;
    static Path brokerLog;
    static Stack stack;
    static ServiceProcess gateway;
    static ServiceProcess application;
    static String bootstrap;
    static Path commandLines;

    @BeforeAll
    static void start() throws Exception {
        data = Files.createTempDirectory("secure-kafka");
        secure = data.resolve("secure");
        int port = Ports.freeBlock(2);
        bootstrap = "localhost:" + port;
        brokerLog = Files.createDirectories(Path.of(System.getProperty("logs.dir", "target/service-logs"))).resolve("secure-broker.log");
        var builder = new ProcessBuilder(RunScriptIT.ROOT.resolve("infra/local-broker/broker.sh").toString(), "--secure")
                .redirectErrorStream(true).redirectOutput(brokerLog.toFile());
        builder.environment().put("KAFKA_PORT", Integer.toString(port));
        builder.environment().put("KAFKA_DATA_DIR", data.toString());
        // every java, keytool and sed the start runs goes through a JDK whose commands record their arguments
        commandLines = data.resolve("command-lines.log");
        builder.environment().put("JAVA_HOME", recordingJdk(data.resolve("recording-jdk"), commandLines).toString());
        broker = builder.start();
        await("the secured broker's topics and ACLs").atMost(Duration.ofSeconds(180)).until(() -> {
            if (!broker.isAlive()) {
                throw new IllegalStateException("the broker exited: " + Files.readString(brokerLog));
            }
            return Files.exists(secure.resolve("ready"));
        });
        stack = Stack.on(bootstrap);
        gateway = stack.gateway("secure-gateway", springKafka("gateway"));
        application = stack.application("secure-application", gateway, springKafka("application"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
        if (broker != null) {
            broker.destroy();
            if (!broker.waitFor(60, TimeUnit.SECONDS)) {
                broker.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * A JAVA_HOME whose {@code java} and {@code keytool} (and a {@code sed}: broker.sh puts JAVA_HOME/bin
     * first on its PATH) append their arguments to {@code log}, then run the real ones: what any local
     * user could have read in /proc/PID/cmdline while the broker started.
     */
    static Path recordingJdk(Path home, Path log) throws IOException {
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path realJdk = Path.of(System.getProperty("java.home"), "bin");
        Map<String, Path> commands = Map.of("java", realJdk.resolve("java"), "keytool", realJdk.resolve("keytool"), "sed", Path.of("/usr/bin/sed"));
        for (var command : commands.entrySet()) {
            Path shim = bin.resolve(command.getKey());
            Files.writeString(shim, "#!/bin/sh\nprintf '%s\\n' \"$0 $*\" >> '" + log + "'\nexec '" + command.getValue() + "' \"$@\"\n");
            shim.toFile().setExecutable(true);
        }
        return home;
    }

    /** What a user sets for a service on a SCRAM cluster: Spring Boot's own Kafka settings, as environment variables. */
    static Map<String, String> springKafka(String principal) throws IOException {
        return Map.of(
                "SPRING_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "SPRING_KAFKA_SSL_BUNDLE", "kafka",
                "SPRING_SSL_BUNDLE_PEM_KAFKA_TRUSTSTORE_CERTIFICATE", "file:" + secure.resolve("ca.pem"),
                "SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", "SCRAM-SHA-512",
                "SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", clientProperties(principal).getProperty("sasl.jaas.config"));
    }

    static Properties clientProperties(String principal) throws IOException {
        Properties properties = new Properties();
        try (var in = new FileReader(secure.resolve(principal + ".properties").toFile(), StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return properties;
    }

    @Test
    void eachPrincipalsFileIsTheUsersAloneAndStandard() throws Exception {
        for (String principal : List.of("admin", "application", "gateway", "client")) {
            Path file = secure.resolve(principal + ".properties");
            assertThat(Files.getPosixFilePermissions(file)).as(principal).isEqualTo(Set.of(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE));
            Properties properties = clientProperties(principal);
            assertThat(properties.getProperty("security.protocol")).isEqualTo("SASL_SSL");
            assertThat(properties.getProperty("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
            assertThat(properties.getProperty("ssl.truststore.type")).isEqualTo("PEM");
            assertThat(properties.getProperty("ssl.truststore.location")).isEqualTo(secure.resolve("ca.pem").toString());
        }
    }

    @Test
    void answersOverKafkaInOneTraceOverTlsAndScramPlainAndStreamed() throws Exception {
        String plain = askOk(application, "{\"text\":\"Hello over TLS and SCRAM\",\"transport\":\"kafka\"}");
        var streamed = StreamingClient.ask(application, "{\"text\":\"Stream it over TLS\",\"transport\":\"kafka\"}");
        assertThat(streamed.of("kafka", "answer")).as(streamed.events().toString()).hasSize(1);
        String streamedTrace = StreamingClient.field(streamed.named("done").getFirst().data(), "traceId");

        assertThat(notWholeKafkaTraces(stack.collector, List.of(plain, streamedTrace))).as("traces not whole").isEmpty();
        // the trace headers crossed both ways unchanged: each hop's span is the child of the one that sent it
        for (String traceId : List.of(plain, streamedTrace)) {
            List<ReceivedSpan> trace = awaitTrace(stack.collector, traceId, 7);
            ReceivedSpan send = only(trace, "send llm.requests");
            ReceivedSpan process = childOf(trace, send, "process llm.requests");
            childOf(trace, childOf(trace, process, "send llm.replies"), "process llm.replies");
        }
    }

    @Test
    void theClientCannotWriteAReplyAndTheUserGetsTheGatewaysAnswer() throws Exception {
        Properties client = clientProperties("client");
        client.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        client.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        client.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        try (var forger = new KafkaProducer<String, String>(client)) {
            var forged = new ProducerRecord<>("llm.replies", "any-id", "{\"response\":\"FORGED-by-attacker: wire money to mallory\",\"model\":\"evil\"}");
            forged.headers().add("kafka_correlationId", "any-id".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> forger.send(forged).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        }

        var answer = ask(application, "{\"text\":\"Who answers me\",\"transport\":\"kafka\"}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("Offline model answer").doesNotContain("FORGED");
    }

    @Test
    void theClientCanReadNeitherTheRequestsNorTheRepliesOfOthers() throws Exception {
        for (String topic : List.of("llm.requests", "llm.replies", "llm.requests-dlt")) {
            Properties client = clientProperties("client");
            client.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            client.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            client.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            try (var reader = new KafkaConsumer<String, String>(client)) {
                reader.assign(List.of(new TopicPartition(topic, 0)));
                assertThatThrownBy(() -> {
                    for (int poll = 0; poll < 30; poll++) {
                        reader.poll(Duration.ofSeconds(1));
                    }
                }).as(topic).isInstanceOf(TopicAuthorizationException.class);
            }
        }
    }

    @Test
    void theClientAsksWithTheScriptsAndReadsItsAnswerOnItsOwnTopicInItsTrace() throws Exception {
        String traceId = "5ec0e0000000000000000000000c11e7";
        String id = "secure-script-" + UUID.randomUUID();

        Script sent = script("infra/scripts/kafka-send.sh", "--secure", "--bootstrap", bootstrap, "--correlation-id", id,
                "--traceparent", "00-" + traceId + "-00000000000000aa-01", "asked by the client principal");
        assertThat(sent.exit()).as(sent.output()).isZero();
        assertThat(sent.output()).contains("answer on llm.replies.client");

        Script read = script("infra/scripts/kafka-replies.sh", "--secure", "--bootstrap", bootstrap, "--wait-for", id, "--timeout", "60");
        assertThat(read.exit()).as(read.output()).isZero();
        assertThat(read.output()).contains("correlation id: " + id).containsPattern("trace id: +" + traceId)
                .contains("Offline model answer");
    }

    /** With a properties file instead of --secure, the follow command kafka-send.sh prints works as printed (a client* group). */
    @Test
    void theFollowCommandPrintedForACommandConfigReadsTheAnswer() throws Exception {
        String id = "secure-config-" + UUID.randomUUID();
        Script sent = script("infra/scripts/kafka-send.sh", "--bootstrap", bootstrap, "--command-config", secure.resolve("client.properties").toString(),
                "--reply-topic", "llm.replies.client", "--correlation-id", id, "asked with a properties file");
        assertThat(sent.exit()).as(sent.output()).isZero();
        Matcher follow = Pattern.compile("Read the reply: (.*)").matcher(sent.output());
        assertThat(follow.find()).as(sent.output()).isTrue();
        List<String> command = new ArrayList<>(List.of(follow.group(1).strip().split(" +")));
        assertThat(command).contains("--group");
        command.addAll(List.of("--bootstrap", bootstrap, "--timeout", "60"));

        Script read = script(command.toArray(String[]::new));
        assertThat(read.exit()).as(read.output()).isZero();
        assertThat(read.output()).contains("correlation id: " + id).contains("Offline model answer");
    }

    @Test
    void aWrongPasswordAndAPlaintextClientFailWithAClearMessage() throws Exception {
        Path wrong = data.resolve("wrong-password.properties");
        Files.writeString(wrong, Files.readString(secure.resolve("client.properties")).replaceAll("password=\"[^\"]*\"", "password=\"wrong\""));

        Script badPassword = script("infra/scripts/kafka-send.sh", "--bootstrap", bootstrap, "--command-config", wrong.toString(), "hi");
        assertThat(badPassword.exit()).as(badPassword.output()).isEqualTo(1);
        assertThat(badPassword.output()).contains("Authentication failed at " + bootstrap + ": wrong user name or password in " + wrong);

        Script plaintext = script("infra/scripts/kafka-send.sh", "--bootstrap", bootstrap, "hi");
        assertThat(plaintext.exit()).as(plaintext.output()).isEqualTo(1);
        assertThat(plaintext.output()).contains("No answer from a plaintext Kafka at " + bootstrap + ": is it the secured cluster");
    }

    @Test
    void noPasswordReachesALog() throws Exception {
        for (var service : List.of(gateway, application)) {
            String log = service.log();
            assertThat(log).contains("sasl.jaas.config = [hidden]");
            for (String principal : List.of("admin", "application", "gateway", "client")) {
                assertThat(log).as(principal + "'s password in " + service).doesNotContain(password(principal));
            }
        }
        assertThat(Files.readString(brokerLog)).doesNotContain(password("admin")).doesNotContain(password("client"));
    }

    /** Every command line the secured start ran (keytool, the storage tool, sed), recorded: none holds a password. */
    @Test
    void noPasswordIsOnACommandLineDuringTheSecuredStart() throws Exception {
        String recorded = Files.readString(commandLines);
        assertThat(recorded).as("the recording saw the start").contains("keytool -genkeypair").contains("FormatStorage.java")
                .contains("kafka.Kafka");
        assertThat(recorded).as("the key stores' password").doesNotContain(Files.readString(secure.resolve("tls/store.password")).strip());
        for (String principal : List.of("admin", "application", "gateway", "client")) {
            assertThat(recorded).as(principal + "'s password").doesNotContain(password(principal));
        }
    }

    private static String password(String principal) throws IOException {
        Matcher matcher = PASSWORD.matcher(clientProperties(principal).getProperty("sasl.jaas.config"));
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }

    record Script(int exit, String output) {
    }

    /** Runs a script from the project's root with the secured data folder, as its user would. */
    private static Script script(String... command) throws Exception {
        Path output = Files.createTempFile(data, "script", ".out");
        var builder = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(RunScriptIT.ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        env.putAll(new HashMap<>(Map.of("KAFKA_DATA_DIR", data.toString(), "KAFKA_SCRIPTS_CLIENT", "console")));
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroyForcibly().waitFor();
        }
        return new Script(process.exitValue(), Files.readString(output));
    }
}
