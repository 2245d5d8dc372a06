package io.ctxprop.gateway.completion;

import io.opentelemetry.api.trace.Span;
import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;

/**
 * Puts the OpenInference attributes on the openai-java instrumentation's {@code chat <model>} span,
 * which is current while the HTTP exchange runs: the request's messages and parameters before the
 * call, the answer and token counts after it. A streamed answer is read as it passes through and
 * annotated when the stream ends, before the instrumentation closes the span.
 */
final class OpenInferenceInterceptor implements Interceptor {

    /** Bodies above this size are passed through without annotation. */
    static final long MAX_BODY_BYTES = 1024 * 1024;

    private final OpenInferenceAnnotator annotator;

    OpenInferenceInterceptor(OpenInferenceAnnotator annotator) {
        this.annotator = annotator;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Span span = Span.current();
        Request request = chain.request();
        if (!span.isRecording()) {
            return chain.proceed(request);
        }
        annotator.annotateRequest(span, bodyOf(request));
        Response response = chain.proceed(request);
        if (!response.isSuccessful() || response.body() == null) {
            return response;
        }
        if (isEventStream(response.body().contentType())) {
            return response.newBuilder()
                    .body(new TeeResponseBody(response.body(), MAX_BODY_BYTES, events -> annotator.annotateStream(span, events)))
                    .build();
        }
        annotator.annotateResponse(span, response.peekBody(MAX_BODY_BYTES).string());
        return response;
    }

    private static String bodyOf(Request request) throws IOException {
        if (request.body() == null || request.body().contentLength() > MAX_BODY_BYTES) {
            return "";
        }
        Buffer buffer = new Buffer();
        request.body().writeTo(buffer);
        return buffer.readUtf8();
    }

    private static boolean isEventStream(MediaType type) {
        return type != null && "text".equals(type.type()) && "event-stream".equals(type.subtype());
    }
}
