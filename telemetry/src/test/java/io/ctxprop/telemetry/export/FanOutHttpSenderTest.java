package io.ctxprop.telemetry.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.telemetry.testing.InMemoryMetrics;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The fan-out below the OTLP exporter: one marshaling for every backend, the exporter never waiting on
 * a backend's network, and each backend's lane delivering, failing and dropping on its own, counted.
 */
@ExtendWith(OutputCaptureExtension.class)
class FanOutHttpSenderTest {

    private final InMemoryMetricReader reader = InMemoryMetricReader.create();
    private final SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(reader).build();
    private final LaneMetrics metrics = new LaneMetrics(() -> meters);
    private final HeldSender otlp = new HeldSender();
    private final HeldSender phoenix = new HeldSender();
    private final List<HttpResponse> toldTheExporter = new CopyOnWriteArrayList<>();
    private final List<Throwable> errorsToTheExporter = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        meters.close();
    }

    private FanOutHttpSender fanOut(int budgetBytes, Duration drain) {
        return new FanOutHttpSender(List.of(
                new DeliveryLane("otlp", URI.create("http://127.0.0.1:4318/v1/traces"), otlp, budgetBytes, metrics),
                new DeliveryLane("phoenix", URI.create("http://127.0.0.1:6006/v1/traces"), phoenix, budgetBytes, metrics)), drain);
    }

    /** A body of {@code size} bytes that counts how often it was marshaled. */
    private static final class Counted implements MessageWriter {
        final AtomicInteger marshaled = new AtomicInteger();
        final byte[] bytes;

        Counted(int size, int seed) {
            bytes = new byte[size];
            java.util.Arrays.fill(bytes, (byte) seed);
        }

        @Override
        public void writeMessage(OutputStream out) throws IOException {
            marshaled.incrementAndGet();
            out.write(bytes);
        }

        @Override
        public int getContentLength() {
            return bytes.length;
        }
    }

    private void send(FanOutHttpSender sender, MessageWriter body) {
        sender.send(body, toldTheExporter::add, errorsToTheExporter::add);
    }

    private long spans(String lane, String outcome) {
        return InMemoryMetrics.counter(reader.collectAllMetrics(), "ctxprop.export.spans", Map.of("lane", lane, "outcome", outcome));
    }

    @Test
    void everyBackendGetsTheSameBytesMarshaledOnce() {
        var body = new Counted(200_000, 7);
        send(fanOut(1 << 20, Duration.ofSeconds(1)), body);

        assertThat(body.marshaled).hasValue(1);
        assertThat(otlp.sends).singleElement().satisfies(send -> assertThat(send.body()).isEqualTo(body.bytes));
        assertThat(phoenix.sends).singleElement().satisfies(send -> assertThat(send.body()).isEqualTo(body.bytes));
    }

    @Test
    void theExporterIsAnsweredBeforeAnyBackendIs() {
        send(fanOut(1 << 20, Duration.ofSeconds(1)), new Counted(10, 1));

        assertThat(toldTheExporter).singleElement().extracting(HttpResponse::getStatusCode).isEqualTo(200);
        assertThat(otlp.inFlight).hasValue(1);
        assertThat(phoenix.inFlight).hasValue(1);
    }

    @Test
    void eachLaneCountsWhatItsBackendDid() {
        var sender = fanOut(1 << 20, Duration.ofSeconds(1));
        SpanCountingExporterTestSupport.withSpansInExport(25, () -> send(sender, new Counted(10, 1)));
        SpanCountingExporterTestSupport.withSpansInExport(4, () -> send(sender, new Counted(10, 2)));

        otlp.sends.get(0).answer(200);
        otlp.sends.get(1).answer(503);
        phoenix.sends.get(0).fail(new java.net.ConnectException("Connection refused"));
        phoenix.sends.get(1).answer(204);

        assertThat(spans("otlp", "delivered")).isEqualTo(25);
        assertThat(spans("otlp", "failed")).isEqualTo(4);
        assertThat(spans("phoenix", "failed")).isEqualTo(25);
        assertThat(spans("phoenix", "delivered")).isEqualTo(4);
    }

    @Test
    void aBackendThatDoesNotAnswerFillsOnlyItsOwnBudgetThenDrops() {
        var sender = fanOut(25_000, Duration.ofSeconds(1));
        for (int i = 0; i < 5; i++) {
            SpanCountingExporterTestSupport.withSpansInExport(10, () -> send(sender, new Counted(10_000, 3)));
            // the OTLP endpoint answers each body; Phoenix answers none
            otlp.sends.getLast().answer(200);
        }

        assertThat(otlp.sends).hasSize(5);
        assertThat(spans("otlp", "delivered")).isEqualTo(50);
        assertThat(phoenix.sends).as("two bodies of 10 KB fit a 25 KB budget").hasSize(2);
        assertThat(spans("phoenix", "dropped")).isEqualTo(30);
        assertThat(toldTheExporter).hasSize(5);

        // once Phoenix answers, its budget is free again
        phoenix.sends.forEach(send -> send.answer(200));
        SpanCountingExporterTestSupport.withSpansInExport(10, () -> send(sender, new Counted(10_000, 4)));
        assertThat(phoenix.sends).hasSize(3);
        assertThat(spans("phoenix", "delivered")).isEqualTo(20);
    }

    @Test
    void aBodyThatCannotBeMarshaledIsAnErrorToTheExporterAndSentNowhere() {
        MessageWriter broken = new MessageWriter() {
            @Override
            public void writeMessage(OutputStream out) throws IOException {
                out.write(1);
                throw new IOException("cannot marshal");
            }

            @Override
            public int getContentLength() {
                return 10;
            }
        };
        send(fanOut(1 << 20, Duration.ofSeconds(1)), broken);

        assertThat(errorsToTheExporter).singleElement().extracting(Throwable::getMessage).isEqualTo("cannot marshal");
        assertThat(toldTheExporter).isEmpty();
        assertThat(otlp.sends).isEmpty();
        assertThat(phoenix.sends).isEmpty();
    }

    @Test
    void shutdownWaitsForTheSendsInFlightBeforeStoppingTheSenders() {
        var sender = fanOut(1 << 20, Duration.ofSeconds(10));
        send(sender, new Counted(10, 5));
        otlp.sends.getFirst().answer(200);

        var shutdown = CompletableFuture.supplyAsync(sender::shutdown);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !shutdown.isDone());
        assertThat(phoenix.inFlightAtShutdown).as("Phoenix's sender is not stopped under its last send").isEqualTo(-1);

        phoenix.sends.getFirst().answer(200);
        await().atMost(Duration.ofSeconds(5)).until(shutdown::isDone);
        assertThat(phoenix.inFlightAtShutdown).isZero();
        assertThat(otlp.inFlightAtShutdown).isZero();
    }

    @Test
    void shutdownGivesUpOnABackendThatNeverAnswers() {
        var sender = fanOut(1 << 20, Duration.ofMillis(200));
        send(sender, new Counted(10, 6));

        var result = sender.shutdown();

        assertThat(result.join(5, java.util.concurrent.TimeUnit.SECONDS).isSuccess()).isTrue();
        assertThat(phoenix.inFlightAtShutdown).isEqualTo(1);
        assertThat(otlp.inFlightAtShutdown).isEqualTo(1);
    }

    @Test
    void aBodyLargerThanTheWholeBudgetStillGoesAloneAndTheNextWaitsItsTurn() {
        var sender = fanOut(5_000, Duration.ofSeconds(1));
        SpanCountingExporterTestSupport.withSpansInExport(100, () -> send(sender, new Counted(40_000, 1)));
        SpanCountingExporterTestSupport.withSpansInExport(3, () -> send(sender, new Counted(100, 2)));

        assertThat(phoenix.sends).as("the large body went; the small one found the budget taken").hasSize(1);
        assertThat(spans("phoenix", "dropped")).isEqualTo(3);
        phoenix.sends.getFirst().answer(200);
        SpanCountingExporterTestSupport.withSpansInExport(3, () -> send(sender, new Counted(100, 3)));
        assertThat(phoenix.sends).hasSize(2);
        assertThat(spans("phoenix", "delivered")).isEqualTo(100);
    }

    @Test
    void aSenderThatThrowsIsAFailureAndGivesItsBudgetBack() {
        var throwing = new io.opentelemetry.sdk.common.export.HttpSender() {
            @Override
            public void send(MessageWriter message, java.util.function.Consumer<HttpResponse> onResponse,
                    java.util.function.Consumer<Throwable> onError) {
                throw new java.util.concurrent.RejectedExecutionException("sender shut down");
            }

            @Override
            public io.opentelemetry.sdk.common.CompletableResultCode shutdown() {
                return io.opentelemetry.sdk.common.CompletableResultCode.ofSuccess();
            }
        };
        var lane = new DeliveryLane("phoenix", URI.create("http://127.0.0.1:6006/v1/traces"), throwing, 1_000, metrics);
        var body = body(new Counted(1_000, 1));
        lane.deliver(body, 5);
        lane.deliver(body, 5);

        assertThat(spans("phoenix", "failed")).as("each body, its budget given back in between").isEqualTo(10);
        assertThat(spans("phoenix", "dropped")).isZero();
        assertThat(lane.awaitIdle(Duration.ZERO)).isTrue();
    }

    @Test
    void anAnswerGivenTwiceIsCountedOnceAndFreesTheBudgetOnce() {
        var lane = new DeliveryLane("phoenix", URI.create("http://127.0.0.1:6006/v1/traces"), phoenix, 1_000, metrics);
        lane.deliver(body(new Counted(600, 1)), 7);
        var send = phoenix.sends.getFirst();
        send.answer(200);
        send.answer(200);
        send.fail(new java.io.IOException("late"));

        assertThat(spans("phoenix", "delivered")).isEqualTo(7);
        assertThat(spans("phoenix", "failed")).isZero();
        lane.deliver(body(new Counted(600, 2)), 1);
        lane.deliver(body(new Counted(600, 3)), 1);
        assertThat(spans("phoenix", "dropped")).as("the budget was freed once, not twice: 600 + 600 > 1,000").isEqualTo(1);
    }

    @Test
    void eachKindOfTroubleIsLoggedOnceUntilTheBackendTakesABodyAgain(CapturedOutput output) {
        var lane = new DeliveryLane("phoenix", URI.create("http://127.0.0.1:6006/v1/traces"), phoenix, 1_000, metrics);
        for (int cycle = 0; cycle < 3; cycle++) {
            lane.deliver(body(new Counted(800, cycle)), 1);
            lane.deliver(body(new Counted(800, cycle)), 1);
            phoenix.sends.getLast().fail(new java.net.SocketTimeoutException("timeout"));
        }
        assertThat(output.getAll()).containsOnlyOnce("are failing").containsOnlyOnce("are being dropped");

        lane.deliver(body(new Counted(10, 9)), 1);
        phoenix.sends.getLast().answer(200);
        lane.deliver(body(new Counted(10, 9)), 1);
        phoenix.sends.getLast().answer(500);
        assertThat(output.getAll()).containsOnlyOnce("again");
        assertThat(output.getAll().split("are failing", -1)).as("a new outage is logged anew").hasSize(3);
    }

    private static BufferedBody body(MessageWriter message) {
        try {
            return BufferedBody.of(message);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void logsAndMetricsNameAnEndpointWithoutItsUserInfoOrQuery() {
        assertThat(DeliveryLane.withoutSecrets(URI.create("https://user:s3cret@phoenix.example:6006/v1/traces?api_key=s3cret")))
                .isEqualTo("https://phoenix.example:6006/v1/traces");
    }
}
