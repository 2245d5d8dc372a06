import jdk.jfr.consumer.*;
import java.nio.file.*;
import java.time.*;
import java.util.*;

public class Shares {
    static final String[][] GROUPS = {
        {"otel-exporter", "io.opentelemetry.exporter."},
        {"otel-sdk", "io.opentelemetry.sdk."},
        {"otel-api", "io.opentelemetry.api.", "io.opentelemetry.context."},
        {"otel-instr", "io.opentelemetry.instrumentation."},
        {"ctx-telemetry", "io.ctxprop.telemetry."},
        {"inspector", "io.ctxprop.application.inspector."},
        {"protobuf", "com.google.protobuf."},
        {"okhttp", "okhttp3.", "okio."},
        {"micrometer", "io.micrometer."},
        {"kafka", "org.apache.kafka."},
        {"tomcat", "org.apache.catalina.", "org.apache.coyote.", "org.apache.tomcat."},
        {"spring", "org.springframework."},
        {"jackson", "com.fasterxml.jackson.", "tools.jackson."},
        {"openai", "com.openai."},
        {"logging", "ch.qos.logback.", "org.slf4j."},
    };
    public static void main(String[] a) throws Exception {
        Instant from = Instant.parse(a[0]);
        for (int i = 1; i < a.length; i++) {
            Path p = Path.of(a[i]);
            Map<String, Integer> incl = new TreeMap<>();
            Map<String, Integer> threads = new TreeMap<>();
            Map<String, Integer> topOtel = new HashMap<>();
            int total = 0; String cmd = "";
            try (RecordingFile rf = new RecordingFile(p)) {
                while (rf.hasMoreEvents()) {
                    RecordedEvent e = rf.readEvent();
                    String t = e.getEventType().getName();
                    if (t.equals("jdk.JVMInformation")) cmd = e.getString("javaArguments");
                    if (!t.equals("jdk.ExecutionSample")) continue;
                    if (e.getStartTime().isBefore(from)) continue;
                    total++;
                    RecordedThread th = e.getThread("sampledThread");
                    String tn = th == null ? "?" : th.getJavaName();
                    if (tn == null) tn = "?";
                    tn = tn.replaceAll("[0-9]+", "N");
                    threads.merge(tn, 1, Integer::sum);
                    Set<String> seen = new HashSet<>();
                    String firstOtel = null;
                    if (e.getStackTrace() == null) continue;
                    for (RecordedFrame f : e.getStackTrace().getFrames()) {
                        String cls = f.getMethod().getType().getName();
                        for (String[] g : GROUPS) for (int k = 1; k < g.length; k++) if (cls.startsWith(g[k])) seen.add(g[0]);
                        if (firstOtel == null && (cls.startsWith("io.opentelemetry") || cls.startsWith("io.ctxprop.telemetry"))) firstOtel = cls + "." + f.getMethod().getName();
                    }
                    boolean tracing = seen.contains("otel-exporter") || seen.contains("otel-sdk") || seen.contains("otel-api") || seen.contains("ctx-telemetry") || seen.contains("inspector") || seen.contains("otel-instr");
                    if (tracing) seen.add("ANY-TRACING");
                    for (String s : seen) incl.merge(s, 1, Integer::sum);
                    if (firstOtel != null) topOtel.merge(firstOtel, 1, Integer::sum);
                }
            }
            System.out.printf("== %s %s total=%d%n", p.getFileName(), cmd.length() > 80 ? cmd.substring(0, 80) : cmd, total);
            final int tot = total;
            incl.forEach((k, v) -> System.out.printf("  incl %-14s %5d %5.1f%%%n", k, v, 100.0 * v / tot));
            threads.entrySet().stream().sorted(Map.Entry.<String,Integer>comparingByValue().reversed()).limit(12)
                .forEach(en -> System.out.printf("  thread %-50s %5d %5.1f%%%n", en.getKey(), en.getValue(), 100.0 * en.getValue() / tot));
            topOtel.entrySet().stream().sorted(Map.Entry.<String,Integer>comparingByValue().reversed()).limit(25)
                .forEach(en -> System.out.printf("  leaf-otel %-90s %5d %5.1f%%%n", en.getKey(), en.getValue(), 100.0 * en.getValue() / tot));
        }
    }
}
