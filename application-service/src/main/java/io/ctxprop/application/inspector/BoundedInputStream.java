package io.ctxprop.application.inspector;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Passes at most {@code limit} bytes through and fails on the first byte past them. */
final class BoundedInputStream extends FilterInputStream {

    /** More bytes arrived than the limit allows. */
    static final class TooLarge extends IOException {
        TooLarge() {
            super("The body is larger than the limit.");
        }
    }

    private long left;

    BoundedInputStream(InputStream in, long limit) {
        super(in);
        this.left = limit;
    }

    @Override
    public int read() throws IOException {
        if (left == 0) {
            return endOrTooLarge();
        }
        int b = in.read();
        if (b >= 0) {
            left--;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (left == 0) {
            return endOrTooLarge();
        }
        int read = in.read(buffer, offset, (int) Math.min(length, left));
        if (read > 0) {
            left -= read;
        }
        return read;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0) {
            return 0;
        }
        if (left == 0) {
            return endOrTooLarge() < 0 ? 0 : 1;
        }
        long skipped = in.skip(Math.min(n, left));
        left -= skipped;
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private int endOrTooLarge() throws IOException {
        if (in.read() < 0) {
            return -1;
        }
        throw new TooLarge();
    }
}
