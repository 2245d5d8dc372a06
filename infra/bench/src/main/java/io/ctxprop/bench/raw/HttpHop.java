package io.ctxprop.bench.raw;

import io.ctxprop.bench.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** The HTTP hop: {@code POST /process} on the raw gateway with the JDK's HttpClient. */
final class HttpHop implements Hop {

    private final HttpClient http;
    private final URI process;
    private final Duration timeout;

    HttpHop(HttpClient http, String processUrl, Duration timeout) {
        this.http = http;
        this.process = URI.create(processUrl);
        this.timeout = timeout;
    }

    @Override
    public Reply ask(String text) throws Exception {
        var request = HttpRequest.newBuilder(process).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":" + Json.quote(text) + "}"))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException late) {
            throw new TimeoutException("no answer from the raw gateway in " + timeout.toMillis() + " ms");
        }
        if (response.statusCode() != 200) {
            throw new IOException("the raw gateway answered " + response.statusCode() + ": " + response.body());
        }
        return Reply.parse(response.body());
    }
}
