package io.ctxprop.bench.raw;

/** One way from the raw front to the raw gateway and back. */
interface Hop {

    /**
     * @throws java.util.concurrent.TimeoutException when no reply came in time
     * @throws Exception                             when the hop failed otherwise
     */
    Reply ask(String text) throws Exception;
}
