package io.ctxprop.telemetry.streaming;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes {@code text/event-stream} events, each flushed at once so the reader sees it as it is
 * written. The data is one line of JSON (a JSON writer puts no raw line breaks in it). Safe to call
 * from several threads (the {@code both} transport writes two answers into one stream). Once a
 * write fails the reader is gone: every later call fails at once with {@link ReaderGone}.
 */
public final class ServerSentEvents {

    public static final String CONTENT_TYPE = "text/event-stream";

    /** The reader went away (closed the connection): nothing more can be written. */
    public static final class ReaderGone extends UncheckedIOException {
        public ReaderGone(IOException cause) {
            super("The reader of the event stream went away", cause);
        }

        /** A hop interrupted because the reader went away (another hop of the same stream found out first). */
        public static ReaderGone interrupted(Exception cause) {
            var interrupted = new InterruptedIOException("Interrupted: the reader went away");
            interrupted.initCause(cause);
            return new ReaderGone(interrupted);
        }
    }

    private final OutputStream out;
    private ReaderGone gone;

    public ServerSentEvents(OutputStream out) {
        this.out = out;
    }

    /** @param json one line of JSON; a line break in it is refused (it would end the event early) */
    public synchronized void send(String event, String json) {
        if (json.indexOf('\n') >= 0 || json.indexOf('\r') >= 0 || event.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("An event's name and data must be one line each");
        }
        if (gone != null) {
            throw gone;
        }
        try {
            out.write(("event: " + event + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException failure) {
            gone = new ReaderGone(failure);
            throw gone;
        }
    }

    public synchronized boolean readerGone() {
        return gone != null;
    }
}
