package io.ctxprop.bench.stack;

import io.ctxprop.bench.process.JavaProcess;
import io.ctxprop.bench.process.Measured;
import io.ctxprop.bench.process.Ports;
import io.ctxprop.bench.raw.RawFront;
import io.ctxprop.bench.raw.RawGateway;
import io.ctxprop.bench.raw.RawKafka;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The baseline in the bridge's shape, with nothing but the JDK and kafka-clients: a front HTTP server
 * answering {@code POST /api/ask}, and a gateway that takes the request over HTTP or over the Kafka round
 * trip and makes the same model call with the JDK's HttpClient. No Spring, no tracing.
 */
public final class RawStack implements Subject, AutoCloseable {

    private final JavaProcess front;
    private final JavaProcess gateway;

    private RawStack(JavaProcess front, JavaProcess gateway) {
        this.front = front;
        this.gateway = gateway;
    }

    public static RawStack start(ModelServer model, String bootstrapServers, List<String> jvmOptions, Path work, Path logs)
            throws IOException, InterruptedException {
        RawKafka.createTopics(bootstrapServers);
        int gatewayPort = Ports.free();
        Path gatewayReady = work.resolve("raw-gateway.ready");
        var gateway = JavaProcess.main("raw-gateway", RawGateway.class, jvmOptions, List.of(Integer.toString(gatewayPort),
                gatewayReady.toString(), bootstrapServers, model.baseUrl()), logs, gatewayReady, gatewayPort);
        int frontPort = Ports.free();
        Path frontReady = work.resolve("raw-front.ready");
        try {
            var front = JavaProcess.main("raw-front", RawFront.class, jvmOptions, List.of(Integer.toString(frontPort),
                    frontReady.toString(), bootstrapServers, gateway.baseUrl() + "/process"), logs, frontReady, frontPort);
            return new RawStack(front, gateway);
        } catch (IOException | RuntimeException failed) {
            gateway.close();
            throw failed;
        }
    }

    @Override
    public String name() {
        return "raw";
    }

    @Override
    public String url() {
        return front.baseUrl();
    }

    @Override
    public Measured front() {
        return front;
    }

    @Override
    public Measured back() {
        return gateway;
    }

    @Override
    public boolean wholeTrace(AskPath path, SpanSink sink, String traceId) {
        return false;
    }

    @Override
    public void close() throws InterruptedException {
        front.close();
        gateway.close();
    }
}
