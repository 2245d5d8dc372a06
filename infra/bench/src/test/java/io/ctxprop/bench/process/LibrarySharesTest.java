package io.ctxprop.bench.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sample is the library's that made the JDK call at the top of its stack; the JDK's own only when no library is in it. */
class LibrarySharesTest {

    @Test
    void namesTheLibraryOfAClassAndNoneForTheJdk() {
        assertThat(LibraryShares.library("org.apache.coyote.http11.Http11Processor")).isEqualTo("Tomcat");
        assertThat(LibraryShares.library("io.opentelemetry.exporter.internal.marshal.Serializer"))
                .startsWith("OpenTelemetry exporters");
        assertThat(LibraryShares.library("io.opentelemetry.sdk.trace.SdkSpan")).startsWith("OpenTelemetry SDK");
        assertThat(LibraryShares.library("io.opentelemetry.context.Context")).startsWith("OpenTelemetry API");
        assertThat(LibraryShares.library("io.ctxprop.telemetry.web.ServerSpanFilter")).startsWith("the project's telemetry");
        assertThat(LibraryShares.library("io.ctxprop.gateway.completion.CompletionService")).isEqualTo("the project's services");
        assertThat(LibraryShares.library("org.springframework.kafka.listener.KafkaMessageListenerContainer")).isEqualTo("Spring Kafka");
        assertThat(LibraryShares.library("org.springframework.web.servlet.DispatcherServlet")).isEqualTo("Spring");
        assertThat(LibraryShares.library("com.example.Thing")).isEqualTo("other: com.example");
        assertThat(LibraryShares.library("java.util.HashMap")).isNull();
        assertThat(LibraryShares.library("sun.nio.ch.SocketDispatcher")).isNull();
        assertThat(LibraryShares.library("jdk.internal.misc.Unsafe")).isNull();
    }

    @Test
    void countsARealRecordingsSamplesUnderTheCodeThatSpentThem(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("busy.jfr");
        try (var recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
            recording.start();
            long until = System.nanoTime() + Duration.ofMillis(700).toNanos();
            long sink = 0;
            while (System.nanoTime() < until) {
                sink += spin();
            }
            recording.stop();
            recording.dump(file);
            assertThat(sink).isNotZero();
        }

        Map<String, Long> shares = LibraryShares.of(file);

        // this test's own frames (io.ctxprop.bench) are on top of the JDK's Math calls it makes
        assertThat(shares).containsKey("the bench's raw baseline");
        assertThat(shares.get("the bench's raw baseline")).isGreaterThan(shares.values().stream().mapToLong(Long::longValue).sum() / 2);
        assertThat(LibraryShares.table(shares)).contains("% ", "the bench's raw baseline", "samples");
    }

    private static long spin() {
        long x = 0;
        for (int i = 0; i < 10_000; i++) {
            x += (long) Math.sqrt(i) ^ Long.rotateLeft(x, 7);
        }
        return x | 1;
    }
}
