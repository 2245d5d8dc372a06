package io.ctxprop.systemtests;

import static io.ctxprop.systemtests.Traces.HTTP;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Pattern;

/** What a gateway's status page ({@code GET /}) says about its Kafka listener. */
final class GatewayStatus {

    private GatewayStatus() {
    }

    /** Kafka requests the gateway has taken and not yet answered; -1 when the page does not say. */
    static int inFlight(ServiceProcess gateway) throws Exception {
        String page = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/")).build(), HttpResponse.BodyHandlers.ofString()).body();
        var matcher = Pattern.compile("(\\d+) of at most").matcher(page);
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    }
}
