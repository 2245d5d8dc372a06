package io.ctxprop.telemetry.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What counts as this service's own endpoint: its port on a loopback name, nothing else. */
class InProcessExportSelfTest {

    @Test
    void loopbackNamesOnTheOwnPortAreSelf() {
        assertThat(InProcessExport.isSelf("http://localhost:5000", 5000)).isTrue();
        assertThat(InProcessExport.isSelf("http://LOCALHOST:5000/v1/traces", 5000)).isTrue();
        assertThat(InProcessExport.isSelf("http://127.0.0.1:5000", 5000)).isTrue();
        assertThat(InProcessExport.isSelf("http://[::1]:5000", 5000)).isTrue();
        assertThat(InProcessExport.isSelf("http://localhost", 80)).isTrue();
    }

    @Test
    void anotherPortHostOrGarbageIsNot() {
        assertThat(InProcessExport.isSelf("http://localhost:5001", 5000)).isFalse();
        assertThat(InProcessExport.isSelf("http://collector:5000", 5000)).isFalse();
        assertThat(InProcessExport.isSelf("http://127.example.com:5000", 5000)).isFalse();
        assertThat(InProcessExport.isSelf("https://localhost", 80)).isFalse();
        assertThat(InProcessExport.isSelf("not a uri", 5000)).isFalse();
    }

    @Test
    void onlyOtlpIsTakenOutOfTheExporters() {
        assertThat(InProcessExport.withoutExportToSelf(config(Map.of("otel.traces.exporter", "otlp,console",
                "otel.exporter.otlp.endpoint", "http://localhost:5000")), 5000)).containsExactly(Map.entry("otel.traces.exporter", "console"));
        assertThat(InProcessExport.withoutExportToSelf(config(Map.of("otel.traces.exporter", "otlp",
                "otel.exporter.otlp.traces.endpoint", "http://localhost:5000/v1/traces", "otel.exporter.otlp.endpoint", "http://collector:4318")), 5000))
                .containsExactly(Map.entry("otel.traces.exporter", "none"));
        assertThat(InProcessExport.withoutExportToSelf(config(Map.of("otel.traces.exporter", "otlp",
                "otel.exporter.otlp.traces.endpoint", "http://collector:4318/v1/traces", "otel.exporter.otlp.endpoint", "http://localhost:5000")), 5000))
                .isEmpty();
        assertThat(InProcessExport.withoutExportToSelf(config(Map.of("otel.traces.exporter", "none",
                "otel.exporter.otlp.endpoint", "http://localhost:5000")), 5000)).isEmpty();
    }

    private static DefaultConfigProperties config(Map<String, String> properties) {
        return DefaultConfigProperties.createFromMap(properties);
    }
}
