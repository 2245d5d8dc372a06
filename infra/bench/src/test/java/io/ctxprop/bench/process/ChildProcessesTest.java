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
        ProcessHandle child = startHarnessAndStopIt(true);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> !child.isAlive());
        } finally {
            child.destroyForcibly();
        }
    }

    /** The check above can fail: without the hook, the child outlives its stopped parent. */
    @Test
    void withoutItTheChildOutlivesItsParent() throws Exception {
        ProcessHandle child = startHarnessAndStopIt(false);
        try {
            assertThat(child.isAlive()).isTrue();
        } finally {
            child.destroyForcibly();
        }
    }

    /** Starts a JVM that starts a long-lived child, stops the JVM with SIGTERM, and returns the child. */
    private static ProcessHandle startHarnessAndStopIt(boolean hook) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process harness = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Harness.class.getName(),
                Boolean.toString(hook)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (var out = new BufferedReader(new InputStreamReader(harness.getInputStream(), StandardCharsets.UTF_8))) {
            ProcessHandle child = ProcessHandle.of(Long.parseLong(out.readLine().strip())).orElseThrow();
            assertThat(child.isAlive()).isTrue();
            harness.destroy();
            await().atMost(Duration.ofSeconds(30)).until(() -> !harness.isAlive());
            return child;
        } finally {
            harness.destroyForcibly();
        }
    }

    /** The stand-in harness: the hook (or not), one child that would run for minutes, its pid on stdout. */
    public static final class Harness {
        public static void main(String[] args) throws Exception {
            if (Boolean.parseBoolean(args[0])) {
                ChildProcesses.stopOnExit();
            }
            Process child = new ProcessBuilder("sleep", "300").start();
            System.out.println(child.pid());
            System.out.flush();
            new CountDownLatch(1).await();
        }
    }
}
