package io.ctxprop.telemetry.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ServerSentEventsTest {

    @Test
    void eventsWrittenAreReadBackInOrder() throws IOException {
        var out = new ByteArrayOutputStream();
        var events = new ServerSentEvents(out);
        events.send("chunk", "{\"text\":\"Hel\"}");
        events.send("chunk", "{\"text\":\"lo \\n there\"}");
        events.send("done", "{}");
        try (var reader = new EventStreamReader(new ByteArrayInputStream(out.toByteArray()))) {
            assertThat(reader.next()).isEqualTo(new EventStreamReader.Event("chunk", "{\"text\":\"Hel\"}"));
            assertThat(reader.next()).isEqualTo(new EventStreamReader.Event("chunk", "{\"text\":\"lo \\n there\"}"));
            assertThat(reader.next()).isEqualTo(new EventStreamReader.Event("done", "{}"));
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void theReaderSkipsCommentsAndJoinsDataLines() throws IOException {
        String stream = ": keep-alive\n\ndata: one\ndata: two\n\nevent: x\nid: 7\ndata:three\n\n";
        try (var reader = new EventStreamReader(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)))) {
            assertThat(reader.next()).isEqualTo(new EventStreamReader.Event("message", "one\ntwo"));
            assertThat(reader.next()).isEqualTo(new EventStreamReader.Event("x", "three"));
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void dataWithALineBreakIsRefused() {
        var events = new ServerSentEvents(new ByteArrayOutputStream());
        assertThatThrownBy(() -> events.send("chunk", "{\"text\":\"a\nevent: done\"}")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailedWriteMeansTheReaderIsGoneForGood() {
        var broken = new OutputStream() {
            int writes;

            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                writes++;
                throw new IOException("Broken pipe");
            }
        };
        var events = new ServerSentEvents(broken);
        assertThatThrownBy(() -> events.send("chunk", "{}")).isInstanceOf(ServerSentEvents.ReaderGone.class);
        assertThat(events.readerGone()).isTrue();
        assertThatThrownBy(() -> events.send("chunk", "{}")).isInstanceOf(ServerSentEvents.ReaderGone.class);
        assertThat(broken.writes).isEqualTo(1);
    }
}
