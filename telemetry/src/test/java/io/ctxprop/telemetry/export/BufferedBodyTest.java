package io.ctxprop.telemetry.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.common.export.MessageWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BufferedBodyTest {

    /** A message written in uneven pieces and single bytes, as a marshaler does; counts its writes. */
    private static final class Message implements MessageWriter {
        final byte[] bytes;
        final int announced;
        int writes;

        Message(int size, boolean announceLength) {
            bytes = new byte[size];
            new Random(size).nextBytes(bytes);
            announced = announceLength ? size : -1;
        }

        @Override
        public void writeMessage(OutputStream out) throws IOException {
            writes++;
            int at = 0;
            int piece = 1;
            while (at < bytes.length) {
                if (piece % 3 == 0) {
                    out.write(bytes[at++]);
                } else {
                    int size = Math.min(bytes.length - at, piece * 997);
                    out.write(bytes, at, size);
                    at += size;
                }
                piece++;
            }
        }

        @Override
        public int getContentLength() {
            return announced;
        }
    }

    private static byte[] written(MessageWriter body) throws IOException {
        var out = new ByteArrayOutputStream();
        body.writeMessage(out);
        return out.toByteArray();
    }

    @Test
    void aBodyOverManyChunksIsWrittenByteForByteAsOftenAsAsked() throws IOException {
        var message = new Message(3 * BufferedBody.CHUNK + 12_345, true);
        var body = BufferedBody.of(message);

        assertThat(body.getContentLength()).isEqualTo(message.bytes.length);
        assertThat(written(body)).isEqualTo(message.bytes);
        assertThat(written(body)).isEqualTo(message.bytes);
        assertThat(message.writes).as("marshaled once, however often it is sent").isEqualTo(1);
    }

    @Test
    void aBodyOfUnannouncedLengthAndAnEmptyOneAreKeptToo() throws IOException {
        var unannounced = new Message(BufferedBody.CHUNK + 1, false);
        assertThat(written(BufferedBody.of(unannounced))).isEqualTo(unannounced.bytes);
        assertThat(BufferedBody.of(unannounced).getContentLength()).isEqualTo(BufferedBody.CHUNK + 1);

        var empty = new Message(0, true);
        assertThat(written(BufferedBody.of(empty))).isEmpty();
        assertThat(BufferedBody.of(empty).getContentLength()).isZero();
    }

    @Test
    void aSmallBodyExactlyOneChunkLongEndsCleanly() throws IOException {
        var exact = new Message(BufferedBody.CHUNK, true);
        assertThat(written(BufferedBody.of(exact))).isEqualTo(exact.bytes);
    }
}
