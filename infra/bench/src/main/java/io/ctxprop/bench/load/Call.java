package io.ctxprop.bench.load;

/** One request of a scenario, made by one simulated client and waited for (closed loop). */
@FunctionalInterface
public interface Call {

    /** Makes the request and tells how it ended; an exception counts as an error. */
    Outcome call() throws Exception;
}
