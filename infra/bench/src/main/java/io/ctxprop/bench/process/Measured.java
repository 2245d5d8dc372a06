package io.ctxprop.bench.process;

/** A process whose CPU and memory a scenario reports. */
public interface Measured {

    String name();

    long pid();

    /** The harness's own JVM: load generator and span sink share the cores too. */
    static Measured self() {
        return new Measured() {
            @Override
            public String name() {
                return "bench";
            }

            @Override
            public long pid() {
                return ProcessHandle.current().pid();
            }
        };
    }
}
