package io.ctxprop.bench.process;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * A profile's CPU samples by the library that spent them: each sample goes to the first frame from
 * the top of its stack that is not the JDK's own (a socket write called by Tomcat is Tomcat's), or to
 * "JDK only" when there is none. Hot methods name the JDK's socket calls first and say little about
 * who made them; this says what share tracing, the framework and the transports take.
 */
public final class LibraryShares {

    /** Package prefixes, the most specific first, and the name a sample in them is counted under. */
    private static final List<Map.Entry<String, String>> LIBRARIES = List.of(
            Map.entry("io.opentelemetry.exporter.", "OpenTelemetry exporters (OTLP marshaling, senders)"),
            Map.entry("io.opentelemetry.sdk.", "OpenTelemetry SDK (spans, attributes, batching)"),
            Map.entry("io.opentelemetry.instrumentation.", "OpenTelemetry instrumentation (openai-java)"),
            Map.entry("io.opentelemetry.", "OpenTelemetry API and context"),
            Map.entry("io.ctxprop.telemetry.", "the project's telemetry (propagation, span making)"),
            Map.entry("io.ctxprop.application.inspector.", "the project's trace inspector"),
            Map.entry("io.ctxprop.bench.", "the bench's raw baseline"),
            Map.entry("io.ctxprop.", "the project's services"),
            Map.entry("org.apache.kafka.", "kafka-clients"),
            Map.entry("org.springframework.kafka.", "Spring Kafka"),
            Map.entry("org.springframework.", "Spring"),
            Map.entry("org.apache.catalina.", "Tomcat"),
            Map.entry("org.apache.coyote.", "Tomcat"),
            Map.entry("org.apache.tomcat.", "Tomcat"),
            Map.entry("jakarta.servlet.", "Tomcat"),
            Map.entry("okhttp3.", "OkHttp"),
            Map.entry("okio.", "OkHttp"),
            Map.entry("kotlin.", "OkHttp"),
            Map.entry("com.openai.", "openai-java"),
            Map.entry("com.fasterxml.jackson.", "Jackson"),
            Map.entry("tools.jackson.", "Jackson"),
            Map.entry("com.google.protobuf.", "protobuf"),
            Map.entry("io.micrometer.", "Micrometer"),
            Map.entry("ch.qos.logback.", "logging"),
            Map.entry("org.slf4j.", "logging"));
    private static final List<String> JDK = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");
    static final String JDK_ONLY = "JDK only (no library frame: socket calls from the JDK's own servers and clients, JDK threads)";

    private LibraryShares() {
    }

    /** The library a class belongs to; null for the JDK's own; "other: <package>" for one not listed. */
    static String library(String className) {
        if (JDK.stream().anyMatch(className::startsWith)) {
            return null;
        }
        for (Map.Entry<String, String> library : LIBRARIES) {
            if (className.startsWith(library.getKey())) {
                return library.getValue();
            }
        }
        int dot = className.lastIndexOf('.');
        return "other: " + (dot < 0 ? className : className.substring(0, dot));
    }

    /** The CPU samples of a recording (JDK 25's CPU-time sampler, else the execution sampler) by library, largest first. */
    public static Map<String, Long> of(Path recording) throws IOException {
        var all = RecordingFile.readAllEvents(recording);
        String type = all.stream().anyMatch(event -> event.getEventType().getName().equals("jdk.CPUTimeSample"))
                ? "jdk.CPUTimeSample" : "jdk.ExecutionSample";
        Map<String, Long> counts = all.stream().filter(event -> event.getEventType().getName().equals(type))
                .filter(event -> event.getStackTrace() != null)
                .collect(Collectors.groupingBy(LibraryShares::spentBy, Collectors.counting()));
        return counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    /** As a table: each library's share of the samples. */
    public static String table(Map<String, Long> shares) {
        long total = shares.values().stream().mapToLong(Long::longValue).sum();
        if (total == 0) {
            return "(no CPU samples)";
        }
        var text = new StringBuilder(String.format("CPU samples by library (%d samples; the first frame from the top that is not the JDK's):%n", total));
        shares.forEach((library, count) -> text.append(String.format("  %5.1f %%  %s%n", 100.0 * count / total, library)));
        return text.toString();
    }

    private static String spentBy(RecordedEvent sample) {
        for (RecordedFrame frame : sample.getStackTrace().getFrames()) {
            if (frame.isJavaFrame() && frame.getMethod() != null) {
                String library = library(frame.getMethod().getType().getName());
                if (library != null) {
                    return library;
                }
            }
        }
        return JDK_ONLY;
    }
}
