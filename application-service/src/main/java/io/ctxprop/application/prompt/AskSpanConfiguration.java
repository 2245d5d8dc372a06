package io.ctxprop.application.prompt;

import io.ctxprop.application.session.SessionCookieFilter;
import io.ctxprop.telemetry.metrics.ContextMetrics;
import io.ctxprop.telemetry.web.FilterOrder;
import io.ctxprop.telemetry.web.ServerSpanFilter;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The root span of each prompt, for the API and the form alike, and the user's session inside it. Inbound trace context from a caller
 * is continued unless {@code TRUST_INBOUND_TRACE_CONTEXT=false}, which makes every prompt a new trace.
 */
@Configuration(proxyBeanMethods = false)
class AskSpanConfiguration {

    @Bean
    FilterRegistrationBean<ServerSpanFilter> askSpanFilter(OpenTelemetry openTelemetry, Tracer tracer, ContextMetrics context,
            @Value("${prompt.trust-inbound-trace-context}") boolean trustInbound) {
        var registration = new FilterRegistrationBean<>(
                // browsers and curl start traces here by design: only a broken inbound context is counted
                new ServerSpanFilter(openTelemetry, tracer, context, AskService.SPAN_NAME, trustInbound, false));
        registration.addUrlPatterns("/api/ask", "/api/ask/stream", "/ask");
        registration.setOrder(FilterOrder.SERVER_SPAN);
        return registration;
    }

    /** Inside the root span: the session id joins the baggage and is stamped on the root. */
    @Bean
    FilterRegistrationBean<SessionCookieFilter> sessionCookieFilter() {
        var registration = new FilterRegistrationBean<>(new SessionCookieFilter());
        registration.addUrlPatterns("/api/ask", "/api/ask/stream", "/ask");
        registration.setOrder(FilterOrder.SESSION);
        return registration;
    }
}
