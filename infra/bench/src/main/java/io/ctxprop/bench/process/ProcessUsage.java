package io.ctxprop.bench.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and peak resident memory of a process, read from /proc. The peak (VmHWM) is reset at the
 * start of each measurement by writing 5 to clear_refs, so each scenario reports its own peak.
 */
public final class ProcessUsage {

    private static final double TICKS_PER_SECOND = ticksPerSecond();

    private ProcessUsage() {
    }

    /** User plus system CPU seconds so far. */
    public static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException gone) {
            return Double.NaN;
        }
    }

    /** Peak resident set size in MiB since start or the last {@link #resetPeak}. */
    public static double peakRssMib(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(line -> line.startsWith("VmHWM:"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
                    .findFirst().orElseThrow() / 1024.0;
        } catch (IOException | RuntimeException gone) {
            return Double.NaN;
        }
    }

    public static void resetPeak(long pid) {
        try {
            Files.writeString(Path.of("/proc", Long.toString(pid), "clear_refs"), "5");
        } catch (IOException notAllowed) {
            // Older kernels or other users' processes: the peak is then the peak since start.
        }
    }

    private static double ticksPerSecond() {
        try {
            var process = new ProcessBuilder("getconf", "CLK_TCK").start();
            return Double.parseDouble(new String(process.getInputStream().readAllBytes()).trim());
        } catch (IOException | NumberFormatException e) {
            return 100;
        }
    }
}
