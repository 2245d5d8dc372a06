package io.ctxprop.application.gateway;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param url     {@code GATEWAY_URL}: the gateway's {@code POST /process}
 * @param timeout how long to wait for the gateway's answer before a 504
 * @param apiKey  {@code GATEWAY_API_KEY}: sent as {@code Authorization: Bearer}; empty, no header
 */
@ConfigurationProperties("gateway")
public record GatewayProperties(URI url, Duration timeout, String apiKey) {

    /** The Authorization header's value, or null without a key. */
    public String authorization() {
        return apiKey == null || apiKey.isBlank() ? null : "Bearer " + apiKey.strip();
    }

    @Override
    public String toString() {
        return "GatewayProperties[url=" + url + ", timeout=" + timeout + ", apiKey=" + (authorization() == null ? "unset" : "set") + "]";
    }
}
