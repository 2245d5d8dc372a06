package io.ctxprop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ctxprop.telemetry.testing.KafkaTestClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Kafka scripts as users run them, under mawk (Debian's default awk, which buffers its input unless
 * told otherwise), with each Kafka client the script can use: {@code kafka-replies.sh} with no argument
 * follows the reply topic and prints each reply as it arrives; {@code kafka-send.sh --stream} and
 * {@code kafka-replies.sh --wait-for} show a streamed answer chunk by chunk while it is written, and
 * records with hostile headers neither stop nor end the wait.
 */
class KafkaScriptsIT {

    /** An answer of about 25 chunks then takes 10 s: "while it is written" can be seen with the console tools' start-up. */
    static final String TOKEN_DELAY = "400ms";
    private static final Pattern CHUNK_LINE = Pattern.compile("^(\\S+)  chunk (\\S+): (.*)$", Pattern.MULTILINE);

    /** The stream's record headers, as any Kafka client writes them (the wire contract, not the project's classes). */
    private static final String CHUNK_SEQ = "ctxprop-chunk-seq";
    private static final String LAST = "ctxprop-last";

    static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack();
        stack.gateway("gateway-for-scripts", Map.of("OFFLINE_MODEL_TOKEN_DELAY", TOKEN_DELAY));
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

    @ParameterizedTest
    @ValueSource(strings = {"console", "kcat"})
    void aStreamedRequestShowsItsChunksAsTheyArriveThenTheWholeAnswer(String client, @TempDir Path shims) throws Exception {
        assumeTrue(!client.equals("kcat") || onPath("kcat"), "kcat is not installed (apt-get install kcat)");
        String id = "stream-" + client + "-1";
        // the reader first (it reads from the beginning all the same), so that it is up while the answer is written
        Path output = shims.resolve("replies.out");
        Process replies = script(client, shims, "infra/scripts/kafka-replies.sh", "--wait-for", id, "--timeout", "90",
                "--bootstrap", stack.broker.getBrokersAsString()).redirectOutput(output.toFile()).start();
        try {
            String sent = runToEnd(script(client, shims, "infra/scripts/kafka-send.sh", "--stream", "--bootstrap",
                    stack.broker.getBrokersAsString(), "--correlation-id", id,
                    "Stream this answer through the Kafka scripts, one chunk record at a time"));
            assertThat(sent).contains("correlation id " + id + " in trace ").contains(", streamed (ctxprop-stream: true)")
                    .contains("Follow the stream: infra/scripts/kafka-replies.sh --wait-for " + id);
            // without --traceparent the script starts a new trace and names it, and the gateway continues it
            var sentTrace = Pattern.compile("in trace ([0-9a-f]{32})").matcher(sent);
            assertThat(sentTrace.find()).as(sent).isTrue();
            assertThat(sent).contains("The trace: http://localhost:5000/traces/" + sentTrace.group(1));
            await("the first chunk, printed while the answer is still being written").atMost(Duration.ofSeconds(60))
                    .until(() -> Files.readString(output).contains(id + "  chunk 0: "));
            assertThat(Files.readString(output)).as("no last record yet").doesNotContain("correlation id: " + id + "\n");
            assertThat(replies.isAlive()).as("still waiting for the last record").isTrue();
            assertThat(replies.waitFor(90, TimeUnit.SECONDS)).isTrue();
            String printed = Files.readString(output);
            assertThat(replies.exitValue()).as(printed).isZero();

            var chunks = new ArrayList<String>();
            var matcher = CHUNK_LINE.matcher(printed);
            while (matcher.find()) {
                if (!matcher.group(1).equals(id)) {
                    continue; // the other runs' records, read from the beginning of the topic
                }
                assertThat(matcher.group(2)).as("chunks in order").isEqualTo(Integer.toString(chunks.size()));
                chunks.add(jsonString(matcher.group(3)));
            }
            assertThat(chunks).as(printed).hasSizeGreaterThan(3);
            int block = printed.indexOf("correlation id: " + id + "\n");
            assertThat(block).as("the last record after every chunk").isGreaterThan(printed.lastIndexOf(id + "  chunk "));
            assertThat(printed.substring(block)).contains("trace id:       " + sentTrace.group(1))
                    .contains("stream:         last record, after " + chunks.size() + " chunks");
            String text = printed.substring(printed.indexOf("text:           ", block) + 16,
                    printed.indexOf("\nstream:         last record", block));
            assertThat(String.join("", chunks)).as("the chunks add up to the answer").isEqualTo(text)
                    .startsWith("Offline model answer");
        } finally {
            replies.descendants().forEach(ProcessHandle::destroy);
            replies.destroy();
        }
    }

    /**
     * Records the gateway would never write, on the reply topic before a stream's real last record:
     * sequence numbers that are not numbers, a "last" header that is not {@code true}, line breaks,
     * tabs and terminal escapes in headers and values, bytes that are not UTF-8. The wait goes on
     * through them, nothing they hold reaches the terminal, and the real last record ends it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"console", "kcat"})
    void hostileHeadersNeitherBreakNorEndTheWait(String client, @TempDir Path shims) throws Exception {
        assumeTrue(!client.equals("kcat") || onPath("kcat"), "kcat is not installed (apt-get install kcat)");
        String id = "hostile-" + client;
        var records = new ArrayList<ProducerRecord<String, byte[]>>();
        // another request's answer before it on the same partition: --wait-for shows only the one asked for
        records.add(reply("other-" + id, "{\"chunk\":\"not mine\",\"seq\":0}", CHUNK_SEQ, bytes("0")));
        records.add(reply("other-" + id, "{\"response\":\"not mine either\",\"model\":\"m\"}", LAST, bytes("true")));
        records.add(reply(id, "{\"chunk\":\"Hello \",\"seq\":0}", CHUNK_SEQ, bytes("0")));
        records.add(reply(id, "{\"chunk\":\"line\nbreak\tand \u001b[2J escape\"}", CHUNK_SEQ,
                bytes("1\n2\tx\u001b[31m")));
        records.add(reply(id, "{\"chunk\":\"binary\"}", CHUNK_SEQ, new byte[] {(byte) 0xff, 0, (byte) 0xfe}));
        records.add(reply(id, "{\"chunk\":\"too long\"}", CHUNK_SEQ, bytes("99999999999999999999")));
        records.add(reply(id, "{\"chunk\":\"not last\"}", LAST, bytes("yes\ntrue")));
        records.add(reply(id, "{\"chunk\":\"null seq\"}", CHUNK_SEQ, null));
        var last = reply(id, "{\"response\":\"the real end\",\"model\":\"m\"}", LAST, bytes(" TRUE "));
        last.headers().add(CHUNK_SEQ, bytes("6"));
        records.add(last);
        KafkaTestClients.sendAll(stack.broker.getBrokersAsString(), records);

        String printed = runToEnd(script(client, shims, "infra/scripts/kafka-replies.sh", "--wait-for", id, "--timeout", "60",
                "--bootstrap", stack.broker.getBrokersAsString()));

        assertThat(printed).doesNotContain("other-" + id).doesNotContain("not mine")
                .doesNotContain("\u001b").doesNotContain("\r")
                .contains(id + "  chunk 0: \"Hello \"")
                .contains(id + "  chunk ?: \"binary\"", id + "  chunk ?: \"too long\"", id + "  chunk ?: \"not last\"")
                .contains("text:           the real end\nstream:         last record, after 6 chunks");
        assertThat(CHUNK_LINE.matcher(printed).results().filter(m -> m.group(1).equals(id)).count())
                .as("one line per chunk record, whatever its headers hold: " + printed).isEqualTo(6);
    }

    /**
     * SIGTERM to the script (as to a backgrounded {@code kafka-replies.sh &}, or by a service manager)
     * stops the Kafka client and the pipeline's subshells with it, following or waiting alike.
     */
    @ParameterizedTest
    @ValueSource(strings = {"console", "kcat", "console --wait-for", "kcat --wait-for"})
    void aTerminatedRepliesScriptLeavesNothingRunning(String mode, @TempDir Path shims) throws Exception {
        String client = mode.split(" ")[0];
        assumeTrue(!client.equals("kcat") || onPath("kcat"), "kcat is not installed (apt-get install kcat)");
        var command = new ArrayList<>(java.util.List.of("infra/scripts/kafka-replies.sh", "--bootstrap", stack.broker.getBrokersAsString()));
        if (mode.endsWith("--wait-for")) {
            command.addAll(java.util.List.of("--wait-for", "never-sent-" + client, "--timeout", "120"));
        }
        Process script = script(client, shims, command.toArray(String[]::new)).redirectOutput(shims.resolve("out").toFile()).start();
        try {
            String clientName = client.equals("kcat") ? "kcat" : "java";
            await("the Kafka client started").atMost(Duration.ofSeconds(60)).until(() -> script.descendants()
                    .anyMatch(process -> process.info().command().orElse("").endsWith("/" + clientName)));
            var started = script.descendants().toList();
            assertThat(started.size()).as("the client and the pipeline's subshells").isGreaterThan(1);

            script.destroy(); // SIGTERM to the script alone
            assertThat(script.waitFor(30, TimeUnit.SECONDS)).isTrue();
            await("every process the script started has stopped").atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(started.stream().filter(ProcessHandle::isAlive)
                            .map(process -> process.pid() + " " + process.info().command().orElse("?")).toList()).isEmpty());
        } finally {
            script.descendants().forEach(ProcessHandle::destroyForcibly);
            script.destroyForcibly();
        }
    }

    /**
     * Arguments that would run a command ({@code --timeout} goes into {@code $(( ))}) or add headers and
     * records to the console producer's input ({@code --correlation-id}) are refused, and a kcat settings
     * file (it holds the password) is removed even when the script stops while writing it.
     */
    @Test
    void hostileArgumentsAreRefusedAndNoPasswordFileIsLeftBehind(@TempDir Path shims) throws Exception {
        assumeTrue(onPath("kcat"), "kcat is not installed (apt-get install kcat)");
        String brokers = stack.broker.getBrokersAsString();
        Path ran = shims.resolve("ran");
        var timeout = script("kcat", shims, "infra/scripts/kafka-replies.sh", "--bootstrap", brokers, "--wait-for", "never-sent",
                "--timeout", "a[$(touch " + ran + ")]");
        assertThat(exit(timeout)).as("--timeout").isEqualTo(2);
        assertThat(ran).as("the command inside --timeout never ran").doesNotExist();
        for (String id : java.util.List.of("a\tb", "a,traceparent:x", "a:b", "a\nb")) {
            var send = script("kcat", shims, "infra/scripts/kafka-send.sh", "--bootstrap", brokers, "--correlation-id", id, "hi");
            assertThat(exit(send)).as("--correlation-id " + id).isEqualTo(2);
        }

        Path tmp = Files.createDirectories(shims.resolve("tmp"));
        Path config = shims.resolve("client.properties");
        Files.writeString(config, "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
                + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"client\" password=\"p4ss\";\n"
                + "ssl.truststore.type=JKS\nssl.truststore.location=" + shims.resolve("none.jks") + "\n");
        var refused = script("kcat", shims, "infra/scripts/kafka-replies.sh", "--bootstrap", brokers, "--command-config", config.toString(),
                "--wait-for", "never-sent", "--timeout", "5");
        refused.environment().put("TMPDIR", tmp.toString());
        assertThat(exit(refused)).as("kcat reads PEM trust stores only").isEqualTo(2);
        try (var left = Files.list(tmp)) {
            assertThat(left.toList()).as("the kcat settings file with the password, and the error file").isEmpty();
        }
    }

    private static int exit(ProcessBuilder builder) throws Exception {
        Process process = builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
        return process.exitValue();
    }

    private static ProducerRecord<String, byte[]> reply(String id, String value, String header, byte[] headerValue) {
        // one partition for all, so that they are read in the order written
        var record = new ProducerRecord<>("llm.replies", 0, id, value.getBytes(StandardCharsets.UTF_8));
        record.headers().add("kafka_correlationId", bytes(id));
        record.headers().add(header, headerValue);
        return record;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ProcessBuilder script(String client, Path shims, String... command) throws Exception {
        Path awk = shims.resolve("awk");
        if (Files.isExecutable(Path.of("/usr/bin/mawk")) && !Files.exists(awk, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(awk, Path.of("/usr/bin/mawk"));
        }
        var builder = new ProcessBuilder(command).directory(RunScriptIT.ROOT.toFile()).redirectErrorStream(true);
        builder.environment().put("PATH", shims + ":" + System.getenv("PATH"));
        builder.environment().put("KAFKA_SCRIPTS_CLIENT", client);
        return builder;
    }

    private static String runToEnd(ProcessBuilder builder) throws Exception {
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    /** A JSON string literal, quotes included, as its text. */
    private static String jsonString(String literal) {
        assertThat(literal).startsWith("\"").endsWith("\"");
        var text = new StringBuilder();
        for (int i = 1; i < literal.length() - 1; i++) {
            char c = literal.charAt(i);
            if (c != '\\') {
                text.append(c);
                continue;
            }
            char escaped = literal.charAt(++i);
            switch (escaped) {
                case 'n' -> text.append('\n');
                case 't' -> text.append('\t');
                case 'r' -> text.append('\r');
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                case 'u' -> {
                    text.append((char) Integer.parseInt(literal.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> text.append(escaped);
            }
        }
        return text.toString();
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
