package io.ctxprop.bench.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** A harness stopped mid-run (SIGTERM) takes the processes it started with it. */
class ChildProcessesTest {

    @Test
    void aHarnessStoppedMidRunStopsTheProcessesItStarted() throws Exception {
        assertGoneWithin(startHarnessAndStopIt(true, "sleep 300"), Duration.ofSeconds(30));
    }

    /** A process that ignores SIGTERM (and its own child, which inherits that) is killed after the grace. */
    @Test
    void oneThatIgnoresTheSignalIsKilledAfterTheGrace() throws Exception {
        assertGoneWithin(startHarnessAndStopIt(true, "trap '' TERM; sleep 300 & wait"), Duration.ofSeconds(40));
    }

    /** The checks above can fail: without the hook, the child outlives its stopped parent. */
    @Test
    void withoutItTheChildOutlivesItsParent() throws Exception {
        ProcessHandle child = startHarnessAndStopIt(false, "sleep 300");
        try {
            assertThat(child.isAlive()).isTrue();
        } finally {
            child.destroyForcibly();
        }
    }

    private static void assertGoneWithin(ProcessHandle child, Duration atMost) {
        try {
            await().atMost(atMost).until(() -> !child.isAlive());
        } finally {
            child.destroyForcibly();
        }
    }

    /** Starts a JVM that runs {@code script} in a shell, stops the JVM with SIGTERM, and returns the shell. */
    private static ProcessHandle startHarnessAndStopIt(boolean hook, String script) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process harness = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Harness.class.getName(),
                Boolean.toString(hook), script).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (var out = new BufferedReader(new InputStreamReader(harness.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();
                assertThat(line).as("the harness JVM's output ended before it named its child").isNotNull();
            } while (!line.startsWith("child="));
            ProcessHandle child = ProcessHandle.of(Long.parseLong(line.substring("child=".length()).strip())).orElseThrow();
            assertThat(child.isAlive()).isTrue();
            harness.destroy();
            await().atMost(Duration.ofSeconds(40)).until(() -> !harness.isAlive());
            return child;
        } finally {
            harness.destroyForcibly();
        }
    }

    /** The stand-in harness: the hook (or not), one shell child that would run for minutes, {@code child=<pid>} on stdout. */
    public static final class Harness {
        public static void main(String[] args) throws Exception {
            if (Boolean.parseBoolean(args[0])) {
                ChildProcesses.stopOnExit();
            }
            Process child = new ProcessBuilder("sh", "-c", args[1]).start();
            System.out.println("child=" + child.pid());
            System.out.flush();
            new CountDownLatch(1).await();
        }
    }
}
