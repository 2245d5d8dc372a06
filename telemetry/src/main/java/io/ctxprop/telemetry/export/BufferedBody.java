package io.ctxprop.telemetry.export;

import io.opentelemetry.sdk.common.export.MessageWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * An OTLP request body marshaled once and kept, so that it can be written to every backend (and again
 * on a retry) without marshaling the spans again. It is held in 64 KB chunks: a batch of a thousand
 * spans is about a megabyte, and one array that size would be a humongous object to G1.
 */
final class BufferedBody implements MessageWriter {

    static final int CHUNK = 64 * 1024;

    private final List<byte[]> chunks;
    private final int length;

    private BufferedBody(List<byte[]> chunks, int length) {
        this.chunks = chunks;
        this.length = length;
    }

    /** Writes {@code message} once into memory. */
    static BufferedBody of(MessageWriter message) throws IOException {
        var out = new ChunkedOutput(message.getContentLength());
        message.writeMessage(out);
        return new BufferedBody(out.chunks, out.length);
    }

    @Override
    public void writeMessage(OutputStream out) throws IOException {
        int left = length;
        for (byte[] chunk : chunks) {
            int size = Math.min(left, chunk.length);
            out.write(chunk, 0, size);
            left -= size;
        }
    }

    @Override
    public int getContentLength() {
        return length;
    }

    /** Chunks of up to {@link #CHUNK} bytes, the last no larger than the length announced needs. */
    private static final class ChunkedOutput extends OutputStream {
        private final List<byte[]> chunks = new ArrayList<>();
        private final int expected;
        private byte[] current = new byte[0];
        private int used;
        private int length;

        ChunkedOutput(int expected) {
            this.expected = expected;
        }

        @Override
        public void write(int b) {
            if (used == current.length) {
                next();
            }
            current[used++] = (byte) b;
            length++;
        }

        @Override
        public void write(byte[] bytes, int offset, int count) {
            while (count > 0) {
                if (used == current.length) {
                    next();
                }
                int size = Math.min(count, current.length - used);
                System.arraycopy(bytes, offset, current, used, size);
                used += size;
                offset += size;
                count -= size;
                length += size;
            }
        }

        private void next() {
            int left = expected - length;
            current = new byte[left > 0 ? Math.min(CHUNK, left) : CHUNK];
            chunks.add(current);
            used = 0;
        }
    }
}
