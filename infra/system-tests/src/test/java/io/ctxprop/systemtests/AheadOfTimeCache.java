package io.ctxprop.systemtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * JDK 25's ahead-of-time cache for the services the suite starts, made as {@code ./run.sh --aot} makes
 * it (infra/scripts/lib/aot.sh): the Boot jar extracted, one training start that exits once the context
 * is up, the cache written on the way out. The suite starts some fifty services on two cores, and the
 * cache roughly halves each start. Made once per built jar, in {@code target/aot/<service>/}; on an
 * older JDK, or when no cache could be made, a service starts from its jar as before.
 */
final class AheadOfTimeCache {

    private static final Map<Path, List<String>> ARGUMENTS = new ConcurrentHashMap<>();

    private AheadOfTimeCache() {
    }

    /** The java arguments that start {@code jar}: from its cache when there is one, else {@code -jar jar}. */
    static List<String> launch(String java, Path jar, List<String> jvmOptions) {
        return ARGUMENTS.computeIfAbsent(jar.toAbsolutePath(), ignored -> prepare(java, jar, jvmOptions));
    }

    private static List<String> prepare(String java, Path jar, List<String> jvmOptions) {
        List<String> plain = List.of("-jar", jar.toString());
        if (Runtime.version().feature() < 25) {
            return plain;
        }
        String name = jar.getFileName().toString().replaceFirst("\\.jar$", "");
        Path dir = Path.of(System.getProperty("aot.dir", "target/aot"), name);
        Path cache = dir.resolve(name + ".aot");
        try {
            if (!Files.exists(cache) || Files.getLastModifiedTime(jar).compareTo(Files.getLastModifiedTime(cache)) > 0) {
                train(java, jar, jvmOptions, dir, cache);
            }
            Path extracted = extractedJar(dir);
            if (!Files.exists(cache) || extracted == null) {
                return plain;
            }
            return List.of("-XX:AOTCache=" + cache, "-jar", extracted.toString());
        } catch (IOException | InterruptedException failure) {
            if (failure instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return plain;
        }
    }

    private static void train(String java, Path jar, List<String> jvmOptions, Path dir, Path cache)
            throws IOException, InterruptedException {
        deleteRecursively(dir);
        Files.createDirectories(dir);
        Path log = dir.resolve("training.log");
        run(new ProcessBuilder(java, "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination", dir.resolve("app").toString()), log);
        Path extracted = extractedJar(dir);
        if (extracted == null) {
            return;
        }
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.addAll(List.of("-XX:AOTCacheOutput=" + cache, "-Dspring.context.exit=onRefresh", "-jar", extracted.toString()));
        var training = new ProcessBuilder(command);
        // started alone, with no broker: it gives up on one after a second, and exits once its context is up
        training.environment().putAll(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9", "SPRING_KAFKA_ADMIN_OPERATION_TIMEOUT", "1s",
                "GATEWAY_PORT", Integer.toString(Ports.free()), "APP_PORT", Integer.toString(Ports.free()), "OTEL_METRICS_EXPORTER", "none"));
        run(training, log);
    }

    private static void run(ProcessBuilder builder, Path log) throws IOException, InterruptedException {
        Process process = builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static Path extractedJar(Path dir) throws IOException {
        Path app = dir.resolve("app");
        if (!Files.isDirectory(app)) {
            return null;
        }
        try (Stream<Path> files = Files.list(app)) {
            return files.filter(file -> file.toString().endsWith(".jar")).findFirst().orElse(null);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
