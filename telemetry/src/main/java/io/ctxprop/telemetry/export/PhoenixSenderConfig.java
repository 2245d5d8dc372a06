package io.ctxprop.telemetry.export;

import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.ProxyOptions;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

/**
 * Phoenix's lane of a shared export: the OTLP exporter's body format, compression, timeouts and retries,
 * but Phoenix's own address and key. None of the OTLP endpoint's headers, client certificate, trust or
 * proxy go to Phoenix: they are another backend's credentials.
 */
final class PhoenixSenderConfig implements HttpSenderConfig {

    private final HttpSenderConfig otlp;
    private final URI endpoint;
    private final Map<String, List<String>> headers;

    PhoenixSenderConfig(HttpSenderConfig otlp, PhoenixProperties phoenix) {
        this.otlp = otlp;
        this.endpoint = URI.create(phoenix.tracesUrl());
        this.headers = phoenix.headers().entrySet().stream()
                .collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey, header -> List.of(header.getValue())));
    }

    @Override
    public URI getEndpoint() {
        return endpoint;
    }

    @Override
    public Supplier<Map<String, List<String>>> getHeadersSupplier() {
        return () -> headers;
    }

    @Override
    public String getContentType() {
        return otlp.getContentType();
    }

    @Override
    public Compressor getCompressor() {
        return otlp.getCompressor();
    }

    @Override
    public Duration getTimeout() {
        return otlp.getTimeout();
    }

    @Override
    public Duration getConnectTimeout() {
        return otlp.getConnectTimeout();
    }

    @Override
    public RetryPolicy getRetryPolicy() {
        return otlp.getRetryPolicy();
    }

    @Override
    public ProxyOptions getProxyOptions() {
        return null;
    }

    @Override
    public SSLContext getSslContext() {
        return null;
    }

    @Override
    public X509TrustManager getTrustManager() {
        return null;
    }

    @Override
    public ExecutorService getExecutorService() {
        return null;
    }

    @Override
    public String toString() {
        return "PhoenixSenderConfig[" + DeliveryLane.withoutSecrets(endpoint) + "]";
    }
}
