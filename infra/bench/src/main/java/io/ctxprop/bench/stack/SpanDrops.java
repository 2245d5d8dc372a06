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
 * Prometheus endpoint: the batch processor drops what does not fit its queue. Where Phoenix shares the
 * standard exporter's batches, a backend's lane drops what does not fit its budget of bytes in flight,
 * counted by the service ({@code ctxprop.export.spans{outcome="dropped"}}) and added here. Failed sends
 * are not counted, in any setup, as a batch processor does not count them either; a trace they cost
 * shows as not whole.
 */
final class SpanDrops {

    private static final Pattern DROPPED = Pattern.compile("(?m)^processedSpans_total\\{[^}]*dropped=\"true\"[^}]*\\} ([0-9.eE+]+)");
    private static final Pattern DROPPED_IN_A_LANE =
            Pattern.compile("(?m)^ctxprop_export_spans_total\\{[^}]*outcome=\"dropped\"[^}]*\\} ([0-9.eE+]+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private SpanDrops() {
    }

    static long scrape(int prometheusPort) {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return dropped(body);
        } catch (IOException e) {
            throw new IllegalStateException("could not read the span counters on port " + prometheusPort, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Spans dropped, in one scrape of a service's metrics: by a batch processor or by a backend's lane. */
    static long dropped(String metrics) {
        return sum(DROPPED, metrics) + sum(DROPPED_IN_A_LANE, metrics);
    }

    private static long sum(Pattern counter, String metrics) {
        return counter.matcher(metrics).results().mapToLong(match -> (long) Double.parseDouble(match.group(1))).sum();
    }
}
