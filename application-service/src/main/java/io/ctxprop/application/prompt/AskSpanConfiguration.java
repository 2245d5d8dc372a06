package io.ctxprop.application.prompt;

import io.ctxprop.telemetry.web.ServerSpanFilter;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The root span of each prompt, for the API and the form alike. Inbound trace context from a caller
 * is continued unless {@code TRUST_INBOUND_TRACE_CONTEXT=false}, which makes every prompt a new trace.
 */
@Configuration(proxyBeanMethods = false)
class AskSpanConfiguration {

    @Bean
    FilterRegistrationBean<ServerSpanFilter> askSpanFilter(OpenTelemetry openTelemetry, Tracer tracer,
            @Value("${prompt.trust-inbound-trace-context}") boolean trustInbound) {
        var registration = new FilterRegistrationBean<>(
                new ServerSpanFilter(openTelemetry, tracer, AskService.SPAN_NAME, trustInbound));
        registration.addUrlPatterns("/api/ask", "/ask");
        return registration;
    }
}
