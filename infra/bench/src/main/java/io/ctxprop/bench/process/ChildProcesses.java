package io.ctxprop.bench.process;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops every process this JVM started (the broker, the model stand-in, the services) when it is
 * stopped before it could close them itself: SIGTERM or Ctrl-C mid-run, or an uncaught failure. Without
 * this a harness killed mid-run left its service JVMs running, holding ports and cores.
 */
public final class ChildProcesses {

    /** How long the children get to stop gracefully (SIGTERM) before they are killed. */
    static final Duration GRACE = Duration.ofSeconds(10);

    private ChildProcesses() {
    }

    /** Installs the shutdown hook; the normal end of a run has closed its children already, and the hook finds none. */
    public static void stopOnExit() {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildProcesses::stopAll, "stop-child-processes"));
    }

    static void stopAll() {
        List<ProcessHandle> children = ProcessHandle.current().descendants().toList();
        children.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + GRACE.toNanos();
        for (ProcessHandle child : children) {
            try {
                child.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException graceOver) {
                break;
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // killed: what is still running, having ignored the signal or been started (the run's threads go on) since
        List<ProcessHandle> left = ProcessHandle.current().descendants().toList();
        left.forEach(ProcessHandle::destroyForcibly);
        left.forEach(ChildProcesses::awaitQuietly);
    }

    /** A moment for the JVM to reap a child it killed, so none is left a zombie when it halts. */
    private static void awaitQuietly(ProcessHandle killed) {
        try {
            killed.onExit().get(1, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException notYet) {
            // killed all the same
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
