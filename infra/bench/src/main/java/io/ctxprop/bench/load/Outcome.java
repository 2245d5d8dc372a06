package io.ctxprop.bench.load;

/** How one request ended, as the load generator counts it. */
public enum Outcome {
    OK,
    /** An answer that is not the success the scenario expects (an HTTP error status, a bad reply). */
    ERROR,
    /** No answer within the client's deadline. */
    TIMEOUT
}
