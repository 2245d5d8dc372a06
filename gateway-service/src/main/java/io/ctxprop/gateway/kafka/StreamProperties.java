package io.ctxprop.gateway.kafka;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How streamed answers are written on Kafka.
 *
 * @param coalesce the window of a chunk record: what the model writes within it goes in one record,
 *                 the first piece at once ({@code LLM_KAFKA_STREAM_COALESCE}; 0: one record per piece)
 */
@ConfigurationProperties("llm.kafka.stream")
public record StreamProperties(Duration coalesce) {

    public StreamProperties {
        if (coalesce == null || coalesce.isNegative()) {
            throw new IllegalArgumentException("llm.kafka.stream.coalesce must be zero or more, was " + coalesce);
        }
    }
}
