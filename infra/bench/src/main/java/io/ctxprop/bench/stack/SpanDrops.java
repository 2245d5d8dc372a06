package io.ctxprop.bench.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Spans a service's SDK dropped, from its own counter ({@code processedSpans{dropped=true}}) on its
 * Prometheus endpoint: the batch processor drops what does not fit its queue.
 */
final class SpanDrops {

    private static final Pattern DROPPED = Pattern.compile("(?m)^processedSpans_total\\{[^}]*dropped=\"true\"[^}]*\\} ([0-9.eE+]+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private SpanDrops() {
    }

    static long scrape(int prometheusPort) {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return DROPPED.matcher(body).results().mapToLong(match -> (long) Double.parseDouble(match.group(1))).sum();
        } catch (IOException e) {
            throw new IllegalStateException("could not read the span counters on port " + prometheusPort, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
