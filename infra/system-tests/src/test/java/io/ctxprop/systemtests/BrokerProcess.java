package io.ctxprop.systemtests;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The local broker (infra/local-broker/broker.sh) as its own process, which a test can stop, kill and
 * start again: a one-node broker, or one node of a three-node cluster ({@code broker.sh --nodes 3 --node N}).
 */
final class BrokerProcess implements AutoCloseable {

    private final int port;
    private final int firstPort;
    private final Path dataDir;
    private final List<String> arguments;
    private final Path log;
    private Process process;

    BrokerProcess(int port, Path dataDir) throws IOException {
        this(port, port, dataDir, List.of());
    }

    private BrokerProcess(int port, int firstPort, Path dataDir, List<String> arguments) throws IOException {
        this.port = port;
        this.firstPort = firstPort;
        this.dataDir = dataDir;
        this.arguments = arguments;
        this.log = Files.createDirectories(Path.of(System.getProperty("logs.dir", "target/service-logs"))).resolve("broker-" + port + ".log");
    }

    /** Node {@code node} (1-3) of the three-node cluster whose node 1 listens on {@code firstPort} (node N on firstPort + 2(N-1)). */
    static BrokerProcess clusterNode(int firstPort, Path dataDir, int node) throws IOException {
        return new BrokerProcess(firstPort + 2 * (node - 1), firstPort, dataDir, List.of("--nodes", "3", "--node", Integer.toString(node)));
    }

    String bootstrapServers() {
        return "localhost:" + port;
    }

    int port() {
        return port;
    }

    /** Starts it and waits until it listens. */
    void start() throws IOException {
        launch();
        awaitListening();
    }

    /** Starts it without waiting: a cluster node listens only once a quorum of controllers runs. */
    void launch() throws IOException {
        List<String> command = new ArrayList<>(List.of(RunScriptIT.ROOT.resolve("infra/local-broker/broker.sh").toString()));
        command.addAll(arguments);
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("KAFKA_PORT", Integer.toString(firstPort));
        builder.environment().put("KAFKA_DATA_DIR", dataDir.toAbsolutePath().toString());
        process = builder.start();
    }

    void awaitListening() {
        await("broker on port " + port).atMost(Duration.ofSeconds(180)).until(() -> {
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

    /** Waits up to {@code atMost} for it to end after a signal, then kills it. */
    void awaitExit(Duration atMost) throws InterruptedException {
        if (process != null && !process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** SIGTERM without waiting. */
    void signalStop() {
        process.destroy();
    }

    /** SIGKILL: the broker gets no chance to hand anything over. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** The last {@code lines} lines it logged (across restarts: the log is appended to). */
    String logTail(int lines) {
        return lastOfLog(lines, line -> true);
    }

    /** The lines it logged at ERROR (the broker logs at WARN and above), at most the last 20. */
    String logErrors() {
        return lastOfLog(20, line -> line.contains(" ERROR "));
    }

    private String lastOfLog(int count, Predicate<String> wanted) {
        try {
            List<String> lines = Files.readAllLines(log).stream().filter(wanted).toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
        } catch (IOException unreadable) {
            return "(no log: " + unreadable.getMessage() + ")";
        }
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (alive()) {
            stop();
        }
    }
}
