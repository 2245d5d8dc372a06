package io.ctxprop.bench.report;

import io.ctxprop.bench.process.JavaProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The machine a run was made on, as the report describes it. */
public final class Machine {

    private Machine() {
    }

    public static Map<String, String> describe() {
        var machine = new LinkedHashMap<String, String>();
        machine.put("cpu", firstValue(Path.of("/proc/cpuinfo"), "model name").orElse("unknown"));
        machine.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        machine.put("memory", firstValue(Path.of("/proc/meminfo"), "MemTotal")
                .map(kb -> Math.round(Long.parseLong(kb.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0) + " GiB").orElse("unknown"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("service heap", String.join(" ", JavaProcess.HEAP) + " each, G1");
        return machine;
    }

    private static Optional<String> firstValue(Path file, String key) {
        try {
            return Files.readAllLines(file).stream()
                    .filter(line -> line.startsWith(key))
                    .map(line -> line.substring(line.indexOf(':') + 1).strip())
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
