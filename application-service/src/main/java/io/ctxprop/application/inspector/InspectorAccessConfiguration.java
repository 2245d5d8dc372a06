package io.ctxprop.application.inspector;

import io.ctxprop.telemetry.web.BearerKey;
import io.ctxprop.telemetry.web.BearerKeyFilter;
import io.ctxprop.telemetry.web.FilterOrder;
import io.ctxprop.telemetry.web.ListenAddress;
import io.ctxprop.telemetry.web.ProblemResponses;
import io.ctxprop.telemetry.web.ReadAccess;
import io.ctxprop.telemetry.web.ReadAccessFilter;
import jakarta.servlet.Filter;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Who may write to the trace inspector and who may read it. Ingest ({@code POST /v1/traces}) needs
 * {@code INSPECTOR_INGEST_KEY} as a bearer token when it is set; without it, ingest is open on
 * loopback and closed beyond it. The pages follow {@link ReadAccess}; a caller they refuse still sees,
 * in the form's frame, the traces of its own session ({@link ReadAccessFilter#OWN_ONLY}).
 */
@Configuration(proxyBeanMethods = false)
class InspectorAccessConfiguration {

    private static final Logger LOGGER = LoggerFactory.getLogger(InspectorAccessConfiguration.class);
    private static final Pattern EMBED = Pattern.compile("/traces/[^/]+/embed");

    @Bean
    FilterRegistrationBean<Filter> ingestKeyFilter(InspectorProperties properties, Environment environment) {
        Optional<BearerKey> key = BearerKey.of(properties.ingestKey());
        ListenAddress address = ListenAddress.of(environment);
        Filter filter;
        if (key.isPresent()) {
            filter = new BearerKeyFilter(key.get(), "trace ingest", "INSPECTOR_INGEST_KEY");
        } else if (address.beyondLoopback()) {
            LOGGER.warn("The inspector's OTLP receiver is closed: this service listens on {} and INSPECTOR_INGEST_KEY is not set.",
                    address.describe());
            filter = (request, response, chain) -> ProblemResponses.write((jakarta.servlet.http.HttpServletResponse) response, 403,
                    "Forbidden", "This service listens beyond loopback and INSPECTOR_INGEST_KEY is not set: it takes no spans over OTLP.");
        } else {
            filter = (request, response, chain) -> chain.doFilter(request, response);
        }
        var registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/v1/traces");
        registration.setOrder(FilterOrder.AUTHENTICATION);
        return registration;
    }

    @Bean
    FilterRegistrationBean<ReadAccessFilter> tracePagesAccessFilter(Environment environment) {
        var registration = new FilterRegistrationBean<>(new ReadAccessFilter(ReadAccess.of(environment),
                request -> EMBED.matcher(request.getRequestURI()).matches()));
        registration.addUrlPatterns("/traces", "/traces/*");
        registration.setOrder(FilterOrder.AUTHENTICATION);
        return registration;
    }
}
