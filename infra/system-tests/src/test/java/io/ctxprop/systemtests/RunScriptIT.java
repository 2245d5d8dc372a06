package io.ctxprop.systemtests;

import static io.ctxprop.systemtests.Traces.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.telemetry.testing.OtlpHttpReceiver;
import io.ctxprop.telemetry.testing.ReceivedSpans.ReceivedSpan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * README's main command, run as a user runs it: {@code ./run.sh} starts its own broker, the gateway and
 * the application; the form answers in a real browser over every transport; the Kafka script continues
 * a trace it is given; SIGTERM leaves no process and no port behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunScriptIT {

    static final Path ROOT = Path.of(System.getProperty("project.root", "../..")).toAbsolutePath().normalize();

    static OtlpHttpReceiver collector;
    static Process run;
    static int appPort;
    static int gatewayPort;
    static int kafkaPort;
    static Path log;

    @BeforeAll
    static void runTheStack() throws Exception {
        collector = new OtlpHttpReceiver();
        appPort = Ports.free();
        gatewayPort = Ports.free();
        kafkaPort = Ports.free();
        Path target = Files.createDirectories(Path.of(System.getProperty("logs.dir", "target/service-logs")));
        log = target.resolve("run.sh.log");
        var builder = new ProcessBuilder("./run.sh").directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(java.util.Map.of(
                "APP_PORT", Integer.toString(appPort),
                "GATEWAY_PORT", Integer.toString(gatewayPort),
                "GATEWAY_URL", "http://localhost:" + gatewayPort + "/process",
                "KAFKA_BOOTSTRAP_SERVERS", "localhost:" + kafkaPort,
                "KAFKA_DATA_DIR", target.resolve("run-sh-kafka").toAbsolutePath().toString(),
                "OTEL_TRACES_EXPORTER", "otlp",
                // the generic endpoint is the application, the traces go elsewhere (a third-party collector): the
                // ingest key must not go with them
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:" + appPort,
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", collector.tracesUrl(),
                "OTEL_BSP_SCHEDULE_DELAY", "100"));
        run = builder.start();
        await("run.sh prints the form's address").atMost(Duration.ofSeconds(180)).until(() -> {
            if (!run.isAlive()) {
                throw new IllegalStateException("run.sh exited: " + Files.readString(log));
            }
            return Files.readString(log).contains("Ctrl-C stops everything.");
        });
    }

    @AfterAll
    static void stopTheStack() throws Exception {
        if (run != null && run.isAlive()) {
            run.destroy();
            run.waitFor(60, TimeUnit.SECONDS);
        }
        collector.close();
    }

    @Order(1)
    @ParameterizedTest
    @ValueSource(strings = {"http", "kafka", "both"})
    void theFormAnswersInABrowserOverEachTransport(String transport) throws Exception {
        ChromeDriver browser = Browser.start();
        try {
            browser.get("http://localhost:" + appPort + "/");
            browser.findElement(By.id("text")).sendKeys("What does a traceparent carry? (" + transport + ")");
            browser.findElement(By.cssSelector("input[name=transport][value=" + transport + "]")).click();
            browser.findElement(By.cssSelector("button[type=submit]")).click();

            String traceId = Browser.await(browser, By.id("trace-id")).getText();
            assertThat(traceId).matches("[0-9a-f]{32}");
            var answers = Browser.awaitAtLeast(browser, By.cssSelector(".answer"), transport.equals("both") ? 2 : 1);
            assertThat(answers).extracting(answer -> answer.getAttribute("data-transport"))
                    .containsExactlyElementsOf(transport.equals("both") ? List.of("http", "kafka") : List.of(transport));
            assertThat(answers).allSatisfy(answer -> assertThat(answer.getText()).contains("Offline model answer").contains(" ms"));
            Browser.screenshot(browser, "form-" + transport);
            awaitTrace(collector, traceId, transport.equals("http") ? 4 : 7);
        } finally {
            browser.quit();
        }
    }

    @Order(2)
    @Test
    void aPromptWithAScriptTagIsShownAsText() throws Exception {
        ChromeDriver browser = Browser.start();
        try {
            browser.get("http://localhost:" + appPort + "/");
            String payload = "<script>document.title='pwned'</script><img src=x onerror=alert(1)>";
            browser.findElement(By.id("text")).sendKeys(payload);
            browser.findElement(By.cssSelector("button[type=submit]")).click();

            assertThat(Browser.await(browser, By.cssSelector(".answer .text")).getText()).contains("<script>document.title='pwned'</script>");
            assertThat(browser.getTitle()).doesNotContain("pwned");
            assertThat(browser.findElements(By.cssSelector(".answer img"))).isEmpty();
            Browser.screenshot(browser, "form-script-payload");
        } finally {
            browser.quit();
        }
    }

    @Order(3)
    @Test
    void theKafkaScriptContinuesTheTraceItIsGiven() throws Exception {
        String traceId = "7a1e5c0de0000000000000000000beef";
        var send = new ProcessBuilder("infra/scripts/kafka-send.sh", "--traceparent", "00-" + traceId + "-00000000000000bb-01",
                "--correlation-id", "run-sh-script-1", "Hello from the script")
                .directory(ROOT.toFile()).redirectErrorStream(true);
        send.environment().put("KAFKA_BOOTSTRAP_SERVERS", "localhost:" + kafkaPort);
        assertThat(runToEnd(send)).contains("correlation id run-sh-script-1");

        var replies = new ProcessBuilder("infra/scripts/kafka-replies.sh", "--wait-for", "run-sh-script-1", "--timeout", "60")
                .directory(ROOT.toFile()).redirectErrorStream(true);
        replies.environment().put("KAFKA_BOOTSTRAP_SERVERS", "localhost:" + kafkaPort);
        assertThat(runToEnd(replies)).contains("correlation id: run-sh-script-1").contains("trace id:       " + traceId)
                .contains("Offline model answer");

        List<ReceivedSpan> trace = awaitTrace(collector, traceId, 4);
        assertThat(only(trace, "process llm.requests").parentSpanId()).isEqualTo("00000000000000bb");
    }

    @Order(3)
    @Test
    void bothServicesListenOnLoopbackAndTheGatewayWantsTheRunsKey() throws Exception {
        Process ss = new ProcessBuilder("ss", "-ltnH").redirectErrorStream(true).start();
        String sockets = new String(ss.getInputStream().readAllBytes());
        assertThat(ss.waitFor(10, TimeUnit.SECONDS)).isTrue();
        for (int port : List.of(appPort, gatewayPort)) {
            List<String> local = sockets.lines().map(line -> line.trim().split("\\s+")[3]).filter(address -> address.endsWith(":" + port)).toList();
            // the JVM's dual-stack socket shows the IPv4 loopback as IPv4-mapped: still 127.0.0.1 alone
            assertThat(local).as("ss -ltn: who listens on %d", port).singleElement()
                    .isIn("127.0.0.1:" + port, "[::ffff:127.0.0.1]:" + port);
            System.out.println("ss -ltn: port " + port + " listens on " + local);
        }
        assertThat(Files.readString(log)).contains("Listening on:       127.0.0.1").contains(".run/keys.env");

        Path keys = ROOT.resolve(".run/keys.env");
        assertThat(Files.getPosixFilePermissions(keys)).as("only the user reads the keys")
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        String gatewayKey = Files.readAllLines(keys).stream().filter(line -> line.startsWith("GATEWAY_API_KEY="))
                .map(line -> line.substring("GATEWAY_API_KEY=".length())).findFirst().orElseThrow();
        assertThat(gatewayKey).matches("[0-9a-f]{64}");
        var anonymous = HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + gatewayPort + "/process"))
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"text\":\"hi\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        io.ctxprop.telemetry.testing.ProblemAssertions.assertProblem(anonymous, 401, "Unauthorized");
        var keyed = HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + gatewayPort + "/process"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + gatewayKey)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"text\":\"hi\"}")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(keyed.statusCode()).as(keyed.body()).isEqualTo(200);
        for (String logFile : List.of("gateway-service.log", "application-service.log")) {
            assertThat(Files.readString(ROOT.resolve(".run/logs/" + logFile))).doesNotContain(gatewayKey).contains("Listening on 127.0.0.1 (loopback only)");
        }
    }

    /**
     * The run's keys stay where they belong: the gateway's environment holds no ingest key when its traces
     * go to another endpoint than the inspector (the generic OTEL_EXPORTER_OTLP_HEADERS would have sent it
     * there), no key is on a service's command line, and a second ./run.sh that finds the ports taken
     * leaves the running stack's .run/keys.env as it was.
     */
    @Order(3)
    @Test
    void theKeysGoNowhereElseAndASecondRunLeavesThemAlone() throws Exception {
        Path keys = ROOT.resolve(".run/keys.env");
        String before = Files.readString(keys);
        String ingestKey = before.lines().filter(line -> line.startsWith("INSPECTOR_INGEST_KEY="))
                .map(line -> line.substring("INSPECTOR_INGEST_KEY=".length())).findFirst().orElseThrow();
        var gatewayPid = java.util.regex.Pattern.compile("Started gateway-service \\(pid (\\d+)\\)").matcher(Files.readString(log));
        assertThat(gatewayPid.find()).isTrue();
        Path process = Path.of("/proc", gatewayPid.group(1));
        String environment = new String(Files.readAllBytes(process.resolve("environ")));
        assertThat(environment).as("the gateway's environment: no OTLP headers, since its traces go elsewhere")
                .contains("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=").doesNotContain("OTEL_EXPORTER_OTLP_HEADERS=").doesNotContain("OTEL_EXPORTER_OTLP_TRACES_HEADERS=");
        assertThat(new String(Files.readAllBytes(process.resolve("cmdline")))).contains("java").doesNotContain(ingestKey);
        assertThat(collector.received()).as("the third-party collector got spans, never a key").isNotEmpty()
                .allSatisfy(request -> assertThat(request.authorization()).isNull());

        var second = new ProcessBuilder("./run.sh").directory(ROOT.toFile()).redirectErrorStream(true);
        second.environment().putAll(java.util.Map.of("APP_PORT", Integer.toString(appPort), "GATEWAY_PORT", Integer.toString(gatewayPort),
                "KAFKA_BOOTSTRAP_SERVERS", "localhost:" + kafkaPort));
        Process again = second.start();
        String output = new String(again.getInputStream().readAllBytes());
        assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(again.exitValue()).as(output).isEqualTo(1);
        assertThat(output).contains("is taken");
        assertThat(Files.readString(keys)).as("the running stack's keys").isEqualTo(before);
    }

    @Order(4)
    @Test
    void sigtermStopsEveryProcessAndFreesEveryPort() throws Exception {
        run.destroy();
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(log)).contains("Stopped.");
        for (int port : List.of(appPort, gatewayPort, kafkaPort, kafkaPort + 1)) {
            assertThat(Ports.listening(port)).as("port %d is free", port).isFalse();
        }
    }

    private static String runToEnd(ProcessBuilder builder) throws Exception {
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }


}
