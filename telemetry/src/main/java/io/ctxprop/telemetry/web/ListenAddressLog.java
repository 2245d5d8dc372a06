package io.ctxprop.telemetry.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/** The start-up line that says where the service listens, and whether other hosts can reach it. */
public final class ListenAddressLog implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger LOGGER = LoggerFactory.getLogger(ListenAddressLog.class);

    private final Environment environment;

    public ListenAddressLog(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        LOGGER.info("Listening on {} port {}; SERVER_ADDRESS changes it.", ListenAddress.of(environment).describe(),
                environment.getProperty("local.server.port", environment.getProperty("server.port", "8080")));
    }
}
