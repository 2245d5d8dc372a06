package io.ctxprop.bench.process;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A process the harness started: its name in the report, its log, and a clean stop (SIGTERM, then
 * SIGKILL after 30 s).
 */
public class Launched implements Measured, AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    protected Launched(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    protected void checkAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + ", see " + log);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
