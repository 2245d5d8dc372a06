package io.ctxprop.gateway.completion;

/**
 * The model call was stopped on purpose (the reader left, or the caller cancelled): not a failure of
 * the model nor of the gateway, and never retried.
 */
public final class ModelCallCancelled extends RuntimeException {

    ModelCallCancelled(Throwable cause) {
        super("The model call was cancelled", cause, false, false);
    }
}
