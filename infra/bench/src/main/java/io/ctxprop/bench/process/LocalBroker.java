package io.ctxprop.bench.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The project's local broker (infra/local-broker/broker.sh) on a free port, with a fresh data folder. */
public final class LocalBroker extends Launched {

    private final int port;

    private LocalBroker(Process process, Path log, int port) {
        super("broker", process, log);
        this.port = port;
    }

    public static LocalBroker start(Path projectRoot, Path workDir, Path logs) throws IOException {
        int port = Ports.free();
        Path log = logs.resolve("broker.log");
        var builder = new ProcessBuilder(projectRoot.resolve("infra/local-broker/broker.sh").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("KAFKA_PORT", Integer.toString(port));
        builder.environment().put("CONTROLLER_PORT", Integer.toString(Ports.free()));
        builder.environment().put("KAFKA_DATA_DIR", Files.createDirectories(workDir.resolve("broker")).toString());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        var broker = new LocalBroker(builder.start(), log, port);
        Deadline.await("broker on port " + port, Duration.ofSeconds(90), () -> {
            broker.checkAlive();
            return Ports.listening(port);
        });
        return broker;
    }

    /** broker.sh execs the JVM, so this pid is the broker's own. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }
}
