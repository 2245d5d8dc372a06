package io.ctxprop.bench.raw;

import io.ctxprop.bench.model.StandInModel;
import io.ctxprop.bench.process.JavaProcess;
import io.ctxprop.bench.process.Measured;
import io.ctxprop.bench.process.Ports;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The bare baseline as processes, in the bridge's shape: the stand-in model, the raw gateway calling
 * it, and the raw front in the application's place. Drive {@link #frontUrl()} with an AskCall.
 */
public final class RawStack implements AutoCloseable {

    private final List<JavaProcess> started = new ArrayList<>();
    private final int frontPort = Ports.free();
    private JavaProcess model;
    private JavaProcess gateway;
    private JavaProcess front;

    private RawStack() {
    }

    /** Starts the three processes, each ready before the next starts; the topics must exist. */
    public static RawStack start(String bootstrapServers, Duration modelLatency, List<String> jvmOptions, Path work,
            Path logs) throws IOException, InterruptedException {
        var stack = new RawStack();
        try {
            stack.startAll(bootstrapServers, modelLatency, jvmOptions, work, logs);
            return stack;
        } catch (IOException | RuntimeException failed) {
            stack.close();
            throw failed;
        }
    }

    private void startAll(String bootstrapServers, Duration modelLatency, List<String> jvmOptions, Path work, Path logs)
            throws IOException {
        int modelPort = Ports.free();
        int gatewayPort = Ports.free();
        model = launch("raw-model", StandInModel.class, modelPort, List.of(Long.toString(modelLatency.toMillis()), "0"),
                jvmOptions, work, logs);
        gateway = launch("raw-gateway", RawGateway.class, gatewayPort,
                List.of(bootstrapServers, "http://127.0.0.1:" + modelPort + "/v1"), jvmOptions, work, logs);
        front = launch("raw-front", RawFront.class, frontPort,
                List.of(bootstrapServers, "http://127.0.0.1:" + gatewayPort + "/process"), jvmOptions, work, logs);
    }

    /** Starts {@code mainClass} with its arguments: port, ready marker, then {@code more}. */
    private JavaProcess launch(String name, Class<?> mainClass, int port, List<String> more, List<String> jvmOptions,
            Path work, Path logs) throws IOException {
        Path ready = work.resolve(name + ".ready");
        var arguments = new ArrayList<>(List.of(Integer.toString(port), ready.toString()));
        arguments.addAll(more);
        var process = JavaProcess.main(name, mainClass, jvmOptions, arguments, logs, ready);
        started.add(process);
        return process;
    }

    /** Where {@code POST /api/ask} is served. */
    public String frontUrl() {
        return "http://127.0.0.1:" + frontPort;
    }

    /** Every process whose CPU and memory a scenario reports. */
    public List<Measured> processes() {
        return List.of(front, gateway, model);
    }

    /** The two processes in the services' places, the ones profiled. */
    public List<Measured> services() {
        return List.of(front, gateway);
    }

    @Override
    public void close() throws InterruptedException {
        for (JavaProcess process : started.reversed()) {
            process.close();
        }
    }
}
