package io.ctxprop.telemetry.kafka;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.kafkaclients.v2_6.KafkaTelemetry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;

/**
 * Bridges the Kafka clients' own metrics (consumer lag, fetch and request rates, buffer use) into the
 * service's OpenTelemetry meter provider, through the clients' {@code metric.reporters} setting, with
 * Kafka's deprecated underscored copies of the topic metrics left out ({@link DistinctTopicMetricsReporter}).
 */
public final class KafkaClientMetrics {

    private final Map<String, ?> reporterConfig;

    public KafkaClientMetrics(OpenTelemetry openTelemetry) {
        var config = new HashMap<String, Object>(KafkaTelemetry.create(openTelemetry).metricConfigProperties());
        config.put(DistinctTopicMetricsReporter.DELEGATES, config.remove(CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG));
        config.put(CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG, List.of(DistinctTopicMetricsReporter.class));
        this.reporterConfig = config;
    }

    public DefaultKafkaProducerFactoryCustomizer producers() {
        return factory -> factory.updateConfigs(Map.copyOf(reporterConfig));
    }

    public DefaultKafkaConsumerFactoryCustomizer consumers() {
        return factory -> factory.updateConfigs(Map.copyOf(reporterConfig));
    }
}
