package io.ctxprop.gateway.completion;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Call;

/**
 * Stops one streamed model call from any thread. The call's HTTP attempts register here (through
 * {@link CancellationInterceptor}, which finds this in the context of the calling thread); a cancel
 * cancels them in OkHttp, which closes the socket, so a thread blocked reading a stalled model wakes
 * at once and the model server sees its connection closed. Closing openai-java's stream from another
 * thread would not do: OkHttp's body is not safe to close while another thread reads it.
 */
public final class StreamCancellation {

    private static final ContextKey<StreamCancellation> KEY = ContextKey.named("ctxprop-stream-cancellation");

    private final List<Call> attempts = new ArrayList<>(1);
    private boolean cancelled;

    /** Cancels the call (and any attempt it makes later); safe to call more than once, from any thread. */
    public void cancel() {
        List<Call> toCancel;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            toCancel = List.copyOf(attempts);
        }
        toCancel.forEach(Call::cancel);
    }

    public synchronized boolean cancelled() {
        return cancelled;
    }

    /** An HTTP attempt of the call, on the calling thread; cancelled at once when the cancel came first. */
    void register(Call attempt) {
        synchronized (this) {
            if (!cancelled) {
                attempts.add(attempt);
                return;
            }
        }
        attempt.cancel();
    }

    Context storeIn(Context context) {
        return context.with(KEY, this);
    }

    static StreamCancellation current() {
        return Context.current().get(KEY);
    }
}
