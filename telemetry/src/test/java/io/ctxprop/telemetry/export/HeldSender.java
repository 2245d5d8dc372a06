package io.ctxprop.telemetry.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.MessageWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** A sender whose sends stay in flight until the test answers them; it keeps every body it was given. */
final class HeldSender implements HttpSender {

    record Send(byte[] body, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
        void answer(int status) {
            onResponse.accept(response(status));
        }

        void fail(Throwable error) {
            onError.accept(error);
        }
    }

    final List<Send> sends = new CopyOnWriteArrayList<>();
    final AtomicInteger inFlight = new AtomicInteger();
    /** Sends still in flight when shutdown was called; -1 before. */
    volatile int inFlightAtShutdown = -1;

    @Override
    public void send(MessageWriter message, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
        var out = new ByteArrayOutputStream();
        try {
            message.writeMessage(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        inFlight.incrementAndGet();
        sends.add(new Send(out.toByteArray(), response -> {
            inFlight.decrementAndGet();
            onResponse.accept(response);
        }, error -> {
            inFlight.decrementAndGet();
            onError.accept(error);
        }));
    }

    @Override
    public CompletableResultCode shutdown() {
        inFlightAtShutdown = inFlight.get();
        return CompletableResultCode.ofSuccess();
    }

    static HttpResponse response(int status) {
        return new HttpResponse() {
            @Override
            public int getStatusCode() {
                return status;
            }

            @Override
            public String getStatusMessage() {
                return "status " + status;
            }

            @Override
            public byte[] getResponseBody() {
                return new byte[0];
            }
        };
    }
}
