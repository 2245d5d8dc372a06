package io.ctxprop.bench.process;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Stop-the-world garbage-collection time of a JVM so far, from its own counters through {@code jstat -gc}
 * (young, full and the concurrent cycles' pauses: the GCT column). Read outside the measurement windows,
 * as jstat is a JVM of its own.
 */
public final class GcPauses {

    private static final Path JSTAT = Path.of(System.getProperty("java.home"), "bin", "jstat");

    private GcPauses() {
    }

    /** Seconds of pauses so far; NaN when the JVM cannot be read. */
    public static double seconds(long pid) {
        try {
            var process = new ProcessBuilder(List.of(JSTAT.toString(), "-gc", Long.toString(pid))).redirectErrorStream(true).start();
            List<String> lines = new String(process.getInputStream().readAllBytes()).lines().toList();
            process.waitFor();
            if (lines.size() < 2) {
                return Double.NaN;
            }
            List<String> names = List.of(lines.get(0).trim().split("\\s+"));
            String[] values = lines.get(1).trim().split("\\s+");
            int total = names.indexOf("GCT");
            return total < 0 || total >= values.length ? Double.NaN : Double.parseDouble(values[total]);
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }
}
