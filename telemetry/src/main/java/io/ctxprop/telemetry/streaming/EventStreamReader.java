package io.ctxprop.telemetry.streaming;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads {@code text/event-stream} one event at a time, as the writer sends them: the {@code event}
 * field (default {@code message}) and the {@code data} lines joined by line breaks. Comments and
 * other fields are skipped. Not thread-safe; closing it closes the stream (and so the connection).
 */
public final class EventStreamReader implements AutoCloseable {

    public record Event(String name, String data) {
    }

    /** Longest line believed: a writer sending more in one line is not an event stream this project reads. */
    static final int MAX_LINE = 1 << 20;

    private final BufferedReader lines;

    public EventStreamReader(InputStream in) {
        this.lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** @return the next event, or null at the end of the stream */
    public Event next() throws IOException {
        String name = null;
        StringBuilder data = null;
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.length() > MAX_LINE) {
                throw new IOException("An event stream line of " + line.length() + " characters");
            }
            if (line.isEmpty()) {
                if (data != null) {
                    return new Event(name == null ? "message" : name, data.toString());
                }
                name = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if (field.equals("event")) {
                name = value;
            } else if (field.equals("data")) {
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            }
        }
        return data == null ? null : new Event(name == null ? "message" : name, data.toString());
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
