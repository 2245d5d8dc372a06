package io.ctxprop.gateway.completion;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Carries the trace to the model server (a self-hosted vLLM or Ollama continues it), which the
 * openai-java instrumentation does not do. The user's baggage stays inside our services: it is
 * removed from the context before injection.
 */
final class TraceContextInterceptor implements Interceptor {

    private final TextMapPropagator propagator;

    TraceContextInterceptor(TextMapPropagator propagator) {
        this.propagator = propagator;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request.Builder request = chain.request().newBuilder();
        Context withoutBaggage = Context.current().with(Baggage.empty());
        propagator.inject(withoutBaggage, request, (carrier, key, value) -> carrier.header(key, value));
        return chain.proceed(request.build());
    }
}
