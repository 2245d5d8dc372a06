package io.ctxprop.gateway.completion;

import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.SseException;
import io.ctxprop.telemetry.web.TracedProblem;
import java.io.InterruptedIOException;

/**
 * The model could not answer after the client's retries: 504 when it ran out of time, 502 for
 * anything else. The detail names the cause without echoing the model server's body.
 */
public final class ModelCallFailed extends TracedProblem {

    private ModelCallFailed(int status, String title, String detail, Throwable cause) {
        super(status, title, detail, cause);
    }

    static ModelCallFailed from(RuntimeException failure, int attempts) {
        if (failure instanceof OpenAIServiceException service) {
            return new ModelCallFailed(502, "Model error",
                    "The model server answered HTTP " + service.statusCode() + " after " + attempts + " attempt(s).", failure);
        }
        if (failure instanceof OpenAIIoException io && isTimeout(io)) {
            return new ModelCallFailed(504, "Model timeout",
                    "The model server did not answer in time after " + attempts + " attempt(s).", failure);
        }
        if (failure instanceof OpenAIIoException) {
            return new ModelCallFailed(502, "Model unreachable",
                    "The model server could not be reached after " + attempts + " attempt(s).", failure);
        }
        if (failure instanceof OpenAIInvalidDataException || failure instanceof SseException) {
            return new ModelCallFailed(502, "Malformed model answer", "The model server's answer could not be read.", failure);
        }
        return new ModelCallFailed(502, "Model error", "The model call failed: " + failure.getClass().getSimpleName() + ".", failure);
    }

    static ModelCallFailed emptyAnswer() {
        return new ModelCallFailed(502, "Malformed model answer", "The model server answered with no choices.", null);
    }

    private static boolean isTimeout(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InterruptedIOException) {
                return true;
            }
        }
        return false;
    }
}
