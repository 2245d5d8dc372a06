package io.ctxprop.bench.stack;

import io.ctxprop.bench.model.StandInModel;
import io.ctxprop.bench.process.JavaProcess;
import io.ctxprop.bench.process.Measured;
import io.ctxprop.bench.process.Ports;
import io.ctxprop.bench.http.JdkHttp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The model every measured service calls, in a process of its own as OpenAI would be: the
 * {@link StandInModel}, a small OpenAI-compatible server on the JDK's HTTP server, the same for every
 * scenario, so its CPU is the same small share everywhere and is reported apart from the services'.
 */
public final class ModelServer implements AutoCloseable {

    /** A stand-in for a provider, not a service under test: room to hold every call of the slow model at once. */
    private static final List<String> JVM = List.of("-Xmx1g");

    private final JavaProcess process;
    private final int port;

    private ModelServer(JavaProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a stand-in answering after {@code latency}, streamed answers {@code tokenDelay} apart. */
    public static ModelServer start(String name, Duration latency, Duration tokenDelay, Path work, Path logs)
            throws IOException {
        return start(name, latency, tokenDelay, 0, work, logs);
    }

    /** As the other, every answer {@code answerWords} words long (a streamed one as many pieces); 0: its own length. */
    public static ModelServer start(String name, Duration latency, Duration tokenDelay, int answerWords, Path work, Path logs)
            throws IOException {
        int port = Ports.free();
        Path ready = work.resolve(name + ".ready");
        var process = JavaProcess.main(name, StandInModel.class, JVM, List.of(Integer.toString(port), ready.toString(),
                Long.toString(latency.toMillis()), Long.toString(tokenDelay.toMillis()), Integer.toString(answerWords)), logs, ready);
        return new ModelServer(process, port);
    }

    /** Answers after {@code latency} from now on: the calls already waiting keep theirs. */
    public void latency(Duration latency) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + StandInModel.LATENCY_PATH))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(Long.toString(latency.toMillis())))
                .build();
        HttpResponse<String> response;
        try (var client = JdkHttp.client()) {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        }
        if (response.statusCode() != 200) {
            throw new IOException("the model stand-in refused latency " + latency + ": " + response.statusCode() + " " + response.body());
        }
    }

    /** What OPENAI_BASE_URL is set to in the gateways that call it. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port + "/v1";
    }

    public Measured process() {
        return process;
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
