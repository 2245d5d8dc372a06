package io.ctxprop.gateway.process;

import io.ctxprop.telemetry.metrics.ContextMetrics;
import io.ctxprop.telemetry.web.FilterOrder;
import io.ctxprop.telemetry.web.ServerSpanFilter;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The gateway always continues the caller's trace: it exists to show that propagation works. */
@Configuration(proxyBeanMethods = false)
class ProcessSpanConfiguration {

    @Bean
    FilterRegistrationBean<ServerSpanFilter> processSpanFilter(OpenTelemetry openTelemetry, Tracer tracer, ContextMetrics context) {
        var registration = new FilterRegistrationBean<>(
                new ServerSpanFilter(openTelemetry, tracer, context, LlmGatewayProcess.SPAN_NAME, true, true));
        registration.addUrlPatterns("/process", "/process/stream");
        registration.setOrder(FilterOrder.SERVER_SPAN);
        return registration;
    }
}
