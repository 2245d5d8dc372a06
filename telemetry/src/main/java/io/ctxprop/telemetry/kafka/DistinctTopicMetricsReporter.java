package io.ctxprop.telemetry.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsContext;
import org.apache.kafka.common.metrics.MetricsReporter;

/**
 * Passes a Kafka client's metrics on to the reporters it wraps, without the copies Kafka 4 keeps for
 * compatibility: for a topic with a dot in its name ({@code llm.replies}) the consumer reports each
 * topic and partition metric twice, tagged once with the topic's name and once, deprecated, with its
 * dots made underscores ({@code llm_replies}). Exported both, every sum by topic counted them twice.
 * <p>
 * A copy is known by its twin: the same metric with the topic's real name. Kafka registers the copy
 * first, so a copy already passed on is withdrawn when its twin arrives. A topic whose real name has
 * underscores has no twin (Kafka refuses a topic whose name collides with another's that way), so its
 * metrics pass.
 */
public final class DistinctTopicMetricsReporter implements MetricsReporter {

    /** The reporters to pass the metrics on to: a list of classes or class names, as {@code metric.reporters}. */
    public static final String DELEGATES = "ctxprop.metric.reporters.delegates";

    private static final String TOPIC = "topic";

    private final List<MetricsReporter> delegates = new ArrayList<>();
    /** Underscored names of the metrics whose topic has a dot: their copies are dropped. */
    private final Set<MetricName> twinned = new HashSet<>();
    /** Metrics tagged with an underscored (or plain) topic passed on so far, by name. */
    private final Map<MetricName, KafkaMetric> passedWithoutDot = new HashMap<>();

    @Override
    public synchronized void configure(Map<String, ?> configs) {
        Object configured = configs.get(DELEGATES);
        List<?> classes = configured instanceof List<?> list ? list : configured == null ? List.of() : List.of(configured);
        for (Object reporterClass : classes) {
            MetricsReporter delegate = instantiate(reporterClass);
            delegate.configure(configs);
            delegates.add(delegate);
        }
    }

    @Override
    public synchronized void init(List<KafkaMetric> metrics) {
        delegates.forEach(delegate -> delegate.init(List.of()));
        metrics.forEach(this::metricChange);
    }

    @Override
    public synchronized void metricChange(KafkaMetric metric) {
        String topic = metric.metricName().tags().get(TOPIC);
        if (topic == null) {
            delegates.forEach(delegate -> delegate.metricChange(metric));
        } else if (topic.indexOf('.') >= 0) {
            MetricName copyName = underscored(metric.metricName(), topic);
            twinned.add(copyName);
            KafkaMetric copy = passedWithoutDot.remove(copyName);
            if (copy != null) {
                delegates.forEach(delegate -> delegate.metricRemoval(copy));
            }
            delegates.forEach(delegate -> delegate.metricChange(metric));
        } else if (!twinned.contains(metric.metricName())) {
            passedWithoutDot.put(metric.metricName(), metric);
            delegates.forEach(delegate -> delegate.metricChange(metric));
        }
    }

    @Override
    public synchronized void metricRemoval(KafkaMetric metric) {
        String topic = metric.metricName().tags().get(TOPIC);
        if (topic == null) {
            delegates.forEach(delegate -> delegate.metricRemoval(metric));
        } else if (topic.indexOf('.') >= 0) {
            twinned.remove(underscored(metric.metricName(), topic));
            delegates.forEach(delegate -> delegate.metricRemoval(metric));
        } else if (passedWithoutDot.remove(metric.metricName()) != null) {
            delegates.forEach(delegate -> delegate.metricRemoval(metric));
        }
    }

    @Override
    public synchronized void contextChange(MetricsContext context) {
        delegates.forEach(delegate -> delegate.contextChange(context));
    }

    @Override
    public synchronized void close() {
        delegates.forEach(MetricsReporter::close);
    }

    private static MetricName underscored(MetricName name, String topic) {
        var tags = new HashMap<>(name.tags());
        tags.put(TOPIC, topic.replace('.', '_'));
        return new MetricName(name.name(), name.group(), name.description(), tags);
    }

    private static MetricsReporter instantiate(Object reporterClass) {
        try {
            Class<?> type = reporterClass instanceof Class<?> given ? given : Class.forName(reporterClass.toString().trim());
            return (MetricsReporter) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new KafkaException("Cannot create the metrics reporter " + reporterClass, e);
        }
    }
}
