package io.ctxprop.gateway.process;

/** Where a streamed answer goes as the model writes it: an event stream, or chunk records on Kafka. */
public interface AnswerSink {

    /**
     * The prompt passed the checks and the model is asked: the answer begins (nothing was written
     * before). Only a sink with something to open (an event stream's status and headers) needs it.
     */
    default void begin() {
    }

    /**
     * The next piece of the answer, on the thread reading the model. Throwing (the reader left)
     * cancels the model call.
     */
    void piece(String text);
}
