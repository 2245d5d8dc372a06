package io.ctxprop.telemetry.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.MetricsReporter;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kafka's underscored copies of a dotted topic's metrics never reach the wrapped reporter; everything else does. */
class DistinctTopicMetricsReporterTest {

    /** What the wrapped reporter holds at the end: metrics added and not removed. */
    public static final class Recording implements MetricsReporter {
        static final List<MetricName> HELD = new ArrayList<>();

        @Override
        public void configure(Map<String, ?> configs) {
        }

        @Override
        public void init(List<KafkaMetric> metrics) {
            metrics.forEach(this::metricChange);
        }

        @Override
        public void metricChange(KafkaMetric metric) {
            HELD.remove(metric.metricName());
            HELD.add(metric.metricName());
        }

        @Override
        public void metricRemoval(KafkaMetric metric) {
            HELD.remove(metric.metricName());
        }

        @Override
        public void close() {
        }
    }

    private Metrics metrics;

    @BeforeEach
    void setUp() {
        Recording.HELD.clear();
        var reporter = new DistinctTopicMetricsReporter();
        reporter.configure(Map.of(DistinctTopicMetricsReporter.DELEGATES, List.of(Recording.class)));
        metrics = new Metrics(new MetricConfig(), List.of(reporter), Time.SYSTEM);
    }

    @AfterEach
    void tearDown() {
        metrics.close();
    }

    @Test
    void theUnderscoredCopyOfADottedTopicIsLeftOutWhicheverComesFirst() {
        // Kafka 4's consumer: the deprecated copy first, then the metric with the topic's name
        add("bytes-consumed-total", "llm_replies");
        add("bytes-consumed-total", "llm.replies");
        // and the other way round
        add("records-consumed-total", "llm.requests");
        add("records-consumed-total", "llm_requests");

        assertThat(topics("bytes-consumed-total")).containsExactly("llm.replies");
        assertThat(topics("records-consumed-total")).containsExactly("llm.requests");
    }

    @Test
    void aTopicNamedWithUnderscoresAndMetricsWithoutTopicsPass() {
        add("bytes-consumed-total", "orders_v2");
        add("bytes-consumed-total", null);

        assertThat(topics("bytes-consumed-total")).containsExactlyInAnyOrder("orders_v2", null);
    }

    private void add(String name, String topic) {
        Map<String, String> tags = topic == null ? Map.of() : Map.of("topic", topic);
        var sensor = metrics.sensor(name + "-" + topic);
        sensor.add(metrics.metricName(name, "consumer-fetch-manager-metrics", "a test metric", tags), new CumulativeSum());
        sensor.record(1);
    }

    private static List<String> topics(String name) {
        return Recording.HELD.stream().filter(held -> held.name().equals(name)).map(held -> held.tags().get("topic")).toList();
    }
}
