package io.ctxprop.systemtests;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The local broker (infra/local-broker/broker.sh) as its own process, which a test can stop and start again. */
final class BrokerProcess implements AutoCloseable {

    private final int port;
    private final Path dataDir;
    private final Path log;
    private Process process;

    BrokerProcess(int port, Path dataDir) throws IOException {
        this.port = port;
        this.dataDir = dataDir;
        this.log = Files.createDirectories(Path.of(System.getProperty("logs.dir", "target/service-logs"))).resolve("broker-" + port + ".log");
    }

    String bootstrapServers() {
        return "localhost:" + port;
    }

    void start() throws IOException {
        var builder = new ProcessBuilder(RunScriptIT.ROOT.resolve("infra/local-broker/broker.sh").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("KAFKA_PORT", Integer.toString(port));
        builder.environment().put("KAFKA_DATA_DIR", dataDir.toAbsolutePath().toString());
        process = builder.start();
        await("broker on port " + port).atMost(Duration.ofSeconds(60)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the broker exited: " + Files.readString(log));
            }
            return Ports.listening(port);
        });
    }

    /** SIGTERM, as an operator would stop it; waits until it is gone. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }


    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop();
        }
    }
}
