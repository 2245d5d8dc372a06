package io.ctxprop.gateway.completion;

import java.io.IOException;
import java.util.function.Consumer;
import okhttp3.MediaType;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;
import okio.ForwardingSource;
import okio.Okio;

/**
 * A server-sent-events body that keeps a copy of what the caller reads and hands it over once the
 * stream is over: at its end, or at the {@code data: [DONE]} event, after which openai-java stops
 * reading and the instrumentation ends its span. Past {@code maxBytes} nothing is handed over.
 */
final class TeeResponseBody extends ResponseBody {

    private static final ByteString DONE = ByteString.encodeUtf8("data: [DONE]");

    private final ResponseBody delegate;
    private final BufferedSource source;

    TeeResponseBody(ResponseBody delegate, long maxBytes, Consumer<String> onComplete) {
        this.delegate = delegate;
        this.source = Okio.buffer(new ForwardingSource(delegate.source()) {
            private final Buffer copy = new Buffer();
            private boolean overflowed;
            private boolean completed;

            @Override
            public long read(Buffer sink, long byteCount) throws IOException {
                long read = super.read(sink, byteCount);
                if (completed || overflowed) {
                    return read;
                }
                if (read > 0) {
                    sink.copyTo(copy, sink.size() - read, read);
                    overflowed = copy.size() > maxBytes;
                }
                boolean done = read == -1 || copy.indexOf(DONE, Math.max(0, copy.size() - read - DONE.size())) >= 0;
                if (done && !overflowed) {
                    completed = true;
                    onComplete.accept(copy.readUtf8());
                }
                return read;
            }
        });
    }

    @Override
    public MediaType contentType() {
        return delegate.contentType();
    }

    @Override
    public long contentLength() {
        return delegate.contentLength();
    }

    @Override
    public BufferedSource source() {
        return source;
    }
}
