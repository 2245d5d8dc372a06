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

    /** CPU seconds so far: the whole process's, and the part its JIT compiler threads used. */
    public record Cpu(double total, double jit) {

        /** The process's own work: everything but compiling. */
        public double work() {
            return total - jit;
        }

        public Cpu minus(Cpu earlier) {
            return new Cpu(total - earlier.total, jit - earlier.jit);
        }
    }

    /**
     * The process's CPU, with its JIT compiler threads' share apart ({@code C1 CompilerThread},
     * {@code C2 CompilerThread}, named in /proc/<pid>/task/<tid>/comm). A fresh JVM on 2 cores shared by a
     * dozen spends minutes compiling; the work per answer without it is the figure that holds.
     */
    public static Cpu cpu(long pid) {
        double jit = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                        jit += ticks(Files.readString(task.resolve("stat")));
                    }
                } catch (IOException threadGone) {
                    // A compiler thread may end between the listing and the read.
                }
            }
        } catch (IOException | RuntimeException gone) {
            jit = Double.NaN;
        }
        return new Cpu(cpuSeconds(pid), jit);
    }

    private static double ticks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    }

    /** User plus system CPU seconds so far. */
    public static double cpuSeconds(long pid) {
        try {
            // The command name (field 2) may hold spaces: fields are counted after its closing parenthesis.
            return ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
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
