package io.ctxprop.bench.process;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A JVM the harness starts: a service jar (ready when its readiness probe says UP) or a main class of
 * the harness's own classpath (the raw baseline's processes). Every one gets the same heap bound, the one the
 * slow-model target names, and only the environment given: inherited OTEL_, OPENAI_, PHOENIX_ and
 * ARIZE_ variables would change what is measured.
 */
public final class JavaProcess extends Launched {

    /**
     * The heap run.sh gives each service. With 1,000 requests waiting on a 1 s model a service held 128 MB
     * (gateway) to 186 MB (application) live, against 42 MB at 16 clients (class histograms, 2026-12-07):
     * about 90 and 145 KB per waiting request, most of it Tomcat's per-connection buffers. In 256 MB, G1
     * was left 14-16 MB of eden, collected every few milliseconds of load, and its collections took a third
     * of the services' CPU; at 512 MB the same load cost 40 % less per answer over HTTP (1.64 against
     * 2.73-2.80 ms) and 20-30 % less over Kafka.
     * <p>
     * The whole 512 MB from the start (-Xms): with only -Xmx, G1 began small and grew each heap only as far as
     * its own collections pushed it, so the JVMs of one pair run settled at 120-230 MB with 70-110 MB of eden;
     * one untraced gateway, its old generation 85 % full of 48 MB, ran 200 concurrent-cycle pauses where its
     * traced twin ran 8 (jstat, 2026-12-07), and the rounds its collections fell in cost it 0.09 ms more per
     * answer than the others. Which JVM drew the small heap changed from run to run, and so did tracing's cost.
     */
    public static final List<String> HEAP = List.of("-Xms512m", "-Xmx512m");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final int port;

    private JavaProcess(String name, Process process, Path log, int port) {
        super(name, process, log);
        this.port = port;
    }

    /**
     * Starts a Spring Boot service jar on {@code port} and waits until it is ready; {@code jvmOptions}
     * go before the jar (the harness's --service-jvm).
     */
    public static JavaProcess service(String name, Path jar, List<String> jvmOptions, int port,
            Map<String, String> environment, Path logs) throws IOException {
        var arguments = new ArrayList<>(jvmOptions);
        arguments.addAll(List.of("-jar", jar.toString()));
        var service = start(name, arguments, port, environment, logs);
        Deadline.await(name + " ready", Duration.ofSeconds(90), () -> {
            service.checkAlive();
            var response = HTTP.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/actuator/health/readiness")).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        });
        return service;
    }

    /** Starts {@code mainClass} from this JVM's own classpath; {@code ready} tells when it is up. */
    public static JavaProcess main(String name, Class<?> mainClass, List<String> jvmOptions, List<String> arguments,
            Path logs, Path readyMarker) throws IOException {
        return main(name, mainClass, jvmOptions, arguments, logs, readyMarker, 0);
    }

    /** As {@link #main(String, Class, List, List, Path, Path)}, for a main class that serves HTTP on {@code port}. */
    public static JavaProcess main(String name, Class<?> mainClass, List<String> jvmOptions, List<String> arguments,
            Path logs, Path readyMarker, int port) throws IOException {
        var command = new ArrayList<>(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(arguments);
        var process = start(name, command, port, Map.of(), logs);
        Deadline.await(name + " ready", Duration.ofSeconds(60), () -> {
            process.checkAlive();
            return java.nio.file.Files.exists(readyMarker);
        });
        return process;
    }

    private static JavaProcess start(String name, List<String> arguments, int port, Map<String, String> environment,
            Path logs) throws IOException {
        Path log = logs.resolve(name + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        var command = new ArrayList<>(List.of(java));
        command.addAll(HEAP);
        command.add("-XX:FlightRecorderOptions:stackdepth=96");
        // G1, the JVM's own choice on these machines, unless the options name another collector.
        if (arguments.stream().noneMatch(option -> option.startsWith("-XX:+Use") && option.endsWith("GC"))) {
            command.add("-XX:+UseG1GC");
        }
        command.addAll(arguments);
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("OTEL_") || key.startsWith("OPENAI_")
                || key.startsWith("PHOENIX_") || key.startsWith("ARIZE_"));
        builder.environment().putAll(environment);
        return new JavaProcess(name, builder.start(), log, port);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }
}
