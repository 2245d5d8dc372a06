package io.ctxprop.telemetry.testing;

import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** For a service's Spring tests: a metric reader on the service's meter provider, and ways to read it. */
@TestConfiguration(proxyBeanMethods = false)
public class InMemoryMetrics {

    @Bean
    InMemoryMetricReader metrics() {
        return InMemoryMetricReader.create();
    }

    /** The histogram points of {@code name} whose attributes include all of {@code attributes}. */
    public static Stream<HistogramPointData> histogram(Collection<MetricData> metrics, String name, Map<String, String> attributes) {
        return named(metrics, name).stream().flatMap(metric -> metric.getHistogramData().getPoints().stream())
                .filter(point -> matches(point.getAttributes().asMap(), attributes));
    }

    /** The sum of the counter {@code name} over the points whose attributes include all of {@code attributes}. */
    public static long counter(Collection<MetricData> metrics, String name, Map<String, String> attributes) {
        return named(metrics, name).stream().flatMap(metric -> metric.getLongSumData().getPoints().stream())
                .filter(point -> matches(point.getAttributes().asMap(), attributes))
                .mapToLong(LongPointData::getValue).sum();
    }

    public static Optional<MetricData> named(Collection<MetricData> metrics, String name) {
        return metrics.stream().filter(metric -> metric.getName().equals(name)).findFirst();
    }

    private static boolean matches(Map<io.opentelemetry.api.common.AttributeKey<?>, Object> actual, Map<String, String> wanted) {
        return wanted.entrySet().stream().allMatch(entry -> actual.entrySet().stream()
                .anyMatch(a -> a.getKey().getKey().equals(entry.getKey()) && String.valueOf(a.getValue()).equals(entry.getValue())));
    }
}
