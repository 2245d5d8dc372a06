package io.ctxprop.bench.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * JDK Flight Recorder in a running JVM through jcmd: a recording per scenario and process, and the
 * hottest methods in it ({@code jfr view hot-methods}), for the targets a run misses.
 */
public final class Flight {

    private static final Path JDK_BIN = Path.of(System.getProperty("java.home"), "bin");

    private Flight() {
    }

    public static void start(long pid, String recording) {
        // JDK 25's CPU-time sampler also sees time spent in system calls, which the execution sampler misses.
        jcmd(pid, "JFR.start", "name=" + recording, "settings=profile", "jdk.CPUTimeSample#enabled=true");
    }

    public static void stop(long pid, String recording, Path file) {
        jcmd(pid, "JFR.stop", "name=" + recording, "filename=" + file.toAbsolutePath());
    }

    /**
     * The first {@code rows} rows of the hot-methods view and the garbage collector's CPU time (which
     * the sampler does not show), or why there are none.
     */
    public static String hotMethods(Path recording, int rows) {
        if (!Files.exists(recording)) {
            return "(no recording)";
        }
        String table = view(recording, "cpu-time-hot-methods").lines().limit(rows + 4L).reduce((a, b) -> a + "\n" + b).orElse("");
        String gc = view(recording, "gc-cpu-time").lines().filter(line -> line.startsWith("GC ") || line.startsWith("Total"))
                .reduce((a, b) -> a + "; " + b).orElse("");
        String byLibrary;
        try {
            byLibrary = LibraryShares.table(LibraryShares.of(recording));
        } catch (IOException | RuntimeException unreadable) {
            byLibrary = "(samples by library: " + unreadable.getMessage() + ")";
        }
        return table + "\n" + gc + "\n" + byLibrary;
    }

    private static String view(Path recording, String view) {
        return run(List.of(JDK_BIN.resolve("jfr").toString(), "view", "--width", "160", view, recording.toString()));
    }

    private static void jcmd(long pid, String... command) {
        var line = new java.util.ArrayList<>(List.of(JDK_BIN.resolve("jcmd").toString(), Long.toString(pid)));
        line.addAll(List.of(command));
        run(line);
    }

    private static String run(List<String> command) {
        try {
            var process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            process.waitFor();
            return output;
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }
}
