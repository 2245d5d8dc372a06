package io.ctxprop.telemetry.testing;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** For a service's Spring tests: keeps every span it ends in memory, beside the real SDK set-up. */
@TestConfiguration(proxyBeanMethods = false)
public class InMemoryTracing {

    @Bean
    InMemorySpanExporter spans() {
        return InMemorySpanExporter.create();
    }

    @Bean
    SpanProcessor inMemorySpans(InMemorySpanExporter spans) {
        return SimpleSpanProcessor.create(spans);
    }
}
