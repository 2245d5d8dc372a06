package io.ctxprop.systemtests;

import static io.ctxprop.systemtests.Traces.HTTP;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Pattern;

/** What a gateway's status page ({@code GET /}) says about its Kafka listener and recent requests. */
final class GatewayStatus {

    private GatewayStatus() {
    }

    /** Requests among the page's recent ones (the last 20) that the gateway answered. */
    static int recentlyAnswered(ServiceProcess gateway) throws Exception {
        return (int) Pattern.compile("<td>answered</td>").matcher(page(gateway)).results().count();
    }

    /** Kafka requests the gateway has taken and not yet answered; -1 when the page does not say. */
    static int inFlight(ServiceProcess gateway) throws Exception {
        var matcher = Pattern.compile("(\\d+) of at most").matcher(page(gateway));
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    }

    /** Whether the gateway's consumers hold partitions of the request topic now. */
    static boolean holdsPartitions(ServiceProcess gateway) throws Exception {
        var matcher = Pattern.compile("<th>Assigned partitions</th><td>([^<]*)</td>").matcher(page(gateway));
        return matcher.find() && !matcher.group(1).startsWith("none");
    }

    private static String page(ServiceProcess gateway) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
