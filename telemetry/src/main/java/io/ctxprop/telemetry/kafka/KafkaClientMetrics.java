package io.ctxprop.telemetry.kafka;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.kafkaclients.v2_6.KafkaTelemetry;
import java.util.Map;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;

/**
 * Bridges the Kafka clients' own metrics (consumer lag, fetch and request rates, buffer use) into the
 * service's OpenTelemetry meter provider, through the clients' {@code metric.reporters} setting.
 */
public final class KafkaClientMetrics {

    private final Map<String, ?> reporterConfig;

    public KafkaClientMetrics(OpenTelemetry openTelemetry) {
        this.reporterConfig = KafkaTelemetry.create(openTelemetry).metricConfigProperties();
    }

    public DefaultKafkaProducerFactoryCustomizer producers() {
        return factory -> factory.updateConfigs(Map.copyOf(reporterConfig));
    }

    public DefaultKafkaConsumerFactoryCustomizer consumers() {
        return factory -> factory.updateConfigs(Map.copyOf(reporterConfig));
    }
}
