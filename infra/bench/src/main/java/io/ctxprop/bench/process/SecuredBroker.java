package io.ctxprop.bench.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The project's local broker secured ({@code infra/local-broker/broker.sh --secure}: SASL_SSL with
 * SCRAM-SHA-512 over TLS, ACLs) on free ports, with a data folder apart from the plaintext broker's.
 * Ready once broker.sh has made the topics and ACLs (its {@code ready} marker). Secured, broker.sh runs
 * the broker's JVM as its child, so {@link #pid()} is that child's, not the script's.
 */
public final class SecuredBroker extends Launched {

    private final int port;
    private final Path secureDir;
    private volatile long brokerPid;

    private SecuredBroker(Process process, Path log, int port, Path secureDir) {
        super("secured-broker", process, log);
        this.port = port;
        this.secureDir = secureDir;
    }

    public static SecuredBroker start(Path projectRoot, Path workDir, Path logs) throws IOException, InterruptedException {
        int port = Ports.free();
        Path data = Files.createDirectories(workDir.resolve("secured-broker"));
        Path log = logs.resolve("secured-broker.log");
        var builder = new ProcessBuilder(projectRoot.resolve("infra/local-broker/broker.sh").toString(), "--secure")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("KAFKA_PORT", Integer.toString(port));
        builder.environment().put("CONTROLLER_PORT", Integer.toString(Ports.free()));
        builder.environment().put("KAFKA_DATA_DIR", data.toString());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        var broker = new SecuredBroker(builder.start(), log, port, data.resolve("secure"));
        try {
            // the CA and keys are made on first start, then the broker formats and starts, then the topics and ACLs
            Deadline.await("secured broker's topics and ACLs", Duration.ofSeconds(180), () -> {
                broker.checkAlive();
                return Files.exists(broker.secureDir.resolve("ready"));
            });
            broker.brokerPid = brokerJvm(broker.scriptPid());
            return broker;
        } catch (RuntimeException failed) {
            broker.close();
            throw failed;
        }
    }

    /**
     * The broker's JVM: the script's child running kafka.Kafka. Read from /proc: the JDK's
     * ProcessHandle.Info may cut a command line as long as the broker's class path.
     */
    static long brokerJvm(long scriptPid) {
        return ProcessHandle.of(scriptPid).stream().flatMap(ProcessHandle::children)
                .filter(child -> commandLine(child.pid()).contains("kafka.Kafka"))
                .mapToLong(ProcessHandle::pid).findFirst()
                .orElseThrow(() -> new IllegalStateException("no kafka.Kafka child of broker.sh (pid " + scriptPid + ")"));
    }

    private static String commandLine(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
        } catch (IOException | RuntimeException gone) {
            return "";
        }
    }

    private long scriptPid() {
        return super.pid();
    }

    /** The broker's own JVM, whose CPU the samples read. */
    @Override
    public long pid() {
        return brokerPid == 0 ? super.pid() : brokerPid;
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    /** CA, per-principal client properties files and the ready marker (readable only by this user). */
    public Path secureDir() {
        return secureDir;
    }
}
