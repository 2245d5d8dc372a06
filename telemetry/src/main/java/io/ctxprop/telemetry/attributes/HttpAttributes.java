package io.ctxprop.telemetry.attributes;

import io.opentelemetry.api.common.AttributeKey;

/** The stable HTTP semantic-convention names the hand-made HTTP spans carry. */
public final class HttpAttributes {

    private HttpAttributes() {
    }

    public static final AttributeKey<String> REQUEST_METHOD = AttributeKey.stringKey("http.request.method");
    public static final AttributeKey<Long> RESPONSE_STATUS_CODE = AttributeKey.longKey("http.response.status_code");
    public static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    public static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
    public static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
    public static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
    public static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    public static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
}
