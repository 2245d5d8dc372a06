package io.ctxprop.systemtests;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service jar run as its own process on a free port, with the environment a user would set.
 * Its output goes to {@code target/service-logs/<name>.log}; closing it sends SIGTERM and waits.
 */
final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final String jar;
    private final String portVariable;
    private final Map<String, String> environment;
    private final int port;
    private final Process process;
    private final Path log;

    private ServiceProcess(String name, String jar, String portVariable, Map<String, String> environment, int port,
            Process process, Path log) {
        this.name = name;
        this.jar = jar;
        this.portVariable = portVariable;
        this.environment = environment;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code <name>.jar} and waits until its readiness probe says UP. */
    static ServiceProcess start(String name, String portVariable, Map<String, String> environment) throws IOException {
        return start(name, name, portVariable, environment);
    }

    /** Starts {@code <jar>.jar} under its own {@code name} (for its log) and waits until it is ready. */
    static ServiceProcess start(String name, String jarName, String portVariable, Map<String, String> environment)
            throws IOException {
        int port = environment.containsKey(portVariable) ? Integer.parseInt(environment.get(portVariable)) : Ports.free();
        Path jar = Path.of(System.getProperty("services.dir", "target/services"), jarName + ".jar");
        Path logs = Files.createDirectories(Path.of(System.getProperty("logs.dir", "target/service-logs")));
        Path log = logs.resolve(name + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        // C1 only, from the ahead-of-time cache: the suite starts some fifty services on two cores, and a
        // service's start-up costs half the CPU without C2 (12 s against 22 s, measured) and about half the
        // time again from the cache; tests check behaviour, the benchmark measures speed
        List<String> jvmOptions = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.addAll(AheadOfTimeCache.launch(java, jar, jvmOptions));
        var builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("OTEL_") || key.startsWith("OPENAI_") || key.startsWith("PHOENIX_")
                || key.startsWith("ARIZE_"));
        env.putAll(new HashMap<>(environment));
        env.put(portVariable, Integer.toString(port));
        var service = new ServiceProcess(name, jarName, portVariable, Map.copyOf(environment), port, builder.start(), log);
        service.awaitReady();
        return service;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    private void awaitReady() {
        await(name + " ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ", see " + log);
            }
            try {
                var response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health/readiness")).build(),
                        HttpResponse.BodyHandlers.ofString());
                return response.statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        });
    }


    /** SIGKILL: the process gets no chance to finish anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM, as an orchestrator stops a service in a rolling restart; waits until it has exited. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " did not stop within 90 s of SIGTERM");
        }
        return process.exitValue();
    }

    /** A new process of the same jar and environment, under {@code newName}. */
    ServiceProcess startAnother(String newName, Map<String, String> changes) throws IOException {
        var env = new HashMap<>(environment);
        env.putAll(changes);
        return start(newName, jar, portVariable, env);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The process's threads now, from /proc (a leak check's figure). */
    long threads() throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status")).stream()
                .filter(line -> line.startsWith("Threads:")).mapToLong(line -> Long.parseLong(line.replaceAll("\\D", ""))).findFirst().orElseThrow();
    }

    /** The process's open file descriptors now, from /proc. */
    long descriptors() throws IOException {
        try (var entries = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
            return entries.count();
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
