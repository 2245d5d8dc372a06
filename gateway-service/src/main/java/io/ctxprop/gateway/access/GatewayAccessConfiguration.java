package io.ctxprop.gateway.access;

import io.ctxprop.telemetry.web.BearerKey;
import io.ctxprop.telemetry.web.BearerKeyFilter;
import io.ctxprop.telemetry.web.FilterOrder;
import io.ctxprop.telemetry.web.ListenAddress;
import io.ctxprop.telemetry.web.ReadAccess;
import io.ctxprop.telemetry.web.ReadAccessFilter;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Who may call the gateway. With {@code GATEWAY_API_KEY} set, {@code /process} and
 * {@code /process/stream} need it as a bearer token (each call spends the model's key); a gateway that
 * listens beyond loopback refuses to start without one. The status page follows the trace inspector's
 * read rule ({@link ReadAccess}). The health probes stay open.
 */
@Configuration(proxyBeanMethods = false)
class GatewayAccessConfiguration {

    static final String API_KEY = "gateway.api-key";
    private static final Logger LOGGER = LoggerFactory.getLogger(GatewayAccessConfiguration.class);

    @Bean
    FilterRegistrationBean<BearerKeyFilter> processKeyFilter(Environment environment) {
        Optional<BearerKey> key = BearerKey.of(environment.getProperty(API_KEY, ""));
        ListenAddress address = ListenAddress.of(environment);
        if (key.isEmpty() && address.beyondLoopback()) {
            throw new IllegalStateException("The gateway listens on " + address.describe()
                    + " without GATEWAY_API_KEY: anyone who reaches it could spend the model's key. Set GATEWAY_API_KEY, "
                    + "or SERVER_ADDRESS=127.0.0.1.");
        }
        if (key.isEmpty()) {
            LOGGER.info("GATEWAY_API_KEY is not set: /process is open to every local caller.");
        }
        var registration = new FilterRegistrationBean<>(new BearerKeyFilter(key.orElse(null), "gateway", "GATEWAY_API_KEY"));
        registration.addUrlPatterns("/process", "/process/stream");
        registration.setOrder(FilterOrder.AUTHENTICATION);
        registration.setEnabled(key.isPresent());
        return registration;
    }

    @Bean
    FilterRegistrationBean<ReadAccessFilter> statusPageAccessFilter(Environment environment) {
        var registration = new FilterRegistrationBean<>(new ReadAccessFilter(ReadAccess.of(environment), request -> false));
        registration.addUrlPatterns("/");
        registration.setOrder(FilterOrder.AUTHENTICATION);
        return registration;
    }
}
