package io.ctxprop.gateway.completion;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Registers each HTTP attempt of a cancellable model call with its {@link StreamCancellation}. A
 * cancelled attempt ends as {@link ModelCallCancelled}, not as an I/O error, so openai-java does not
 * try again after a cancel.
 */
final class CancellationInterceptor implements Interceptor {

    @Override
    public Response intercept(Chain chain) throws IOException {
        StreamCancellation cancellation = StreamCancellation.current();
        if (cancellation == null) {
            return chain.proceed(chain.request());
        }
        cancellation.register(chain.call());
        if (cancellation.cancelled()) {
            throw new ModelCallCancelled(null);
        }
        try {
            return chain.proceed(chain.request());
        } catch (IOException failure) {
            if (cancellation.cancelled()) {
                throw new ModelCallCancelled(failure);
            }
            throw failure;
        }
    }
}
