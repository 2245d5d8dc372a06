package io.ctxprop.systemtests;

import io.ctxprop.telemetry.streaming.EventStreamReader;
import io.ctxprop.telemetry.streaming.EventStreamReader.Event;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A reader of the application's {@code POST /api/ask/stream}: every event, or the first chunk and then away. */
final class StreamingClient {

    private StreamingClient() {
    }

    /** Everything the stream said, in order, and the status of the response. */
    record Stream(int status, List<Event> events) {

        List<Event> named(String name) {
            return events.stream().filter(event -> event.name().equals(name)).toList();
        }

        List<Event> of(String transport, String name) {
            return named(name).stream().filter(event -> event.data().contains("\"transport\":\"" + transport + "\"")).toList();
        }

        /** The chunks of one transport put together, in the order they came. */
        String chunkText(String transport) {
            StringBuilder text = new StringBuilder();
            of(transport, "chunk").forEach(chunk -> text.append(field(chunk.data(), "text")));
            return text.toString();
        }
    }

    static Stream ask(ServiceProcess application, String json) throws Exception {
        HttpResponse<InputStream> response = Traces.HTTP.send(HttpRequest.newBuilder(URI.create(application.baseUrl() + "/api/ask/stream"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofInputStream());
        List<Event> events = new ArrayList<>();
        try (var reader = new EventStreamReader(response.body())) {
            for (Event event = reader.next(); event != null; event = reader.next()) {
                events.add(event);
            }
        }
        return new Stream(response.statusCode(), events);
    }

    /**
     * Asks over a plain socket, reads until the first chunk has arrived, then closes the connection, as
     * a browser tab closed mid-answer does.
     */
    static void leaveAfterTheFirstChunk(ServiceProcess application, String json) throws IOException {
        try (var socket = new Socket("127.0.0.1", application.port())) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/ask/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder seen = new StringBuilder();
            byte[] buffer = new byte[4096];
            int read;
            while (!seen.toString().contains("event: chunk") && (read = in.read(buffer)) > 0) {
                seen.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
            }
            if (!seen.toString().contains("event: chunk")) {
                throw new IllegalStateException("The stream ended before its first chunk: " + seen);
            }
        }
    }

    /** A string or number field of a one-level JSON object, as text (enough for the events' data). */
    static String field(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + Pattern.quote(name) + "\":(\"((?:[^\"\\\\]|\\\\.)*)\"|(-?\\d+))").matcher(json);
        if (!matcher.find()) {
            return null;
        }
        return matcher.group(2) != null ? unescape(matcher.group(2)) : matcher.group(3);
    }

    private static String unescape(String text) {
        return text.replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\");
    }
}
