package io.ctxprop.application.gateway;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param url     {@code GATEWAY_URL}: the gateway's {@code POST /process}
 * @param timeout how long to wait for the gateway's answer before a 504
 */
@ConfigurationProperties("gateway")
public record GatewayProperties(URI url, Duration timeout) {
}
