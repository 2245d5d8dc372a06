package io.ctxprop.telemetry;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;

import io.ctxprop.telemetry.web.TracedProblem;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * With OPENINFERENCE_HIDE_INPUTS or _OUTPUTS on, an exception recorded on any span of the service keeps
 * its type, stack and our own message, but not a message of others that could quote a prompt.
 */
class HiddenContentExceptionsTest {

    static final String PROMPT = "a private prompt";
    static final AttributeKey<String> TYPE = AttributeKey.stringKey("exception.type");
    static final AttributeKey<String> MESSAGE = AttributeKey.stringKey("exception.message");
    static final AttributeKey<String> STACKTRACE = AttributeKey.stringKey("exception.stacktrace");

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final ApplicationContextRunner services = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TelemetryAutoConfiguration.class))
            .withBean(SpanProcessor.class, () -> SimpleSpanProcessor.create(spans))
            .withPropertyValues("otel.traces.exporter=none", "otel.metrics.exporter=none", "otel.logs.exporter=none");

    /** A problem of ours, caused by a model server's error that quotes the prompt. */
    private final TracedProblem failure = new TracedProblem(502, "Model error", "The model server answered HTTP 400.",
            new IllegalArgumentException("400: invalid content '" + PROMPT + "'"));

    @Test
    void whileInputsAreHiddenOnlyOurOwnMessagesAreRecorded() {
        services.withPropertyValues("openinference.hide-inputs=true").run(context -> {
            EventData event = recordOn(context.getBean(Tracer.class), failure);

            assertThat(event).hasName("exception").hasAttributesSatisfying(attributes -> {
                assertThat(attributes.get(TYPE)).isEqualTo(TracedProblem.class.getName());
                assertThat(attributes.get(MESSAGE)).isEqualTo("The model server answered HTTP 400.");
                assertThat(attributes.get(STACKTRACE))
                        .startsWith(TracedProblem.class.getName() + ": The model server answered HTTP 400.\n\tat ")
                        .contains("Caused by: java.lang.IllegalArgumentException\n\tat ")
                        .contains("HiddenContentExceptionsTest")
                        .doesNotContain(PROMPT);
            });
        });
    }

    @Test
    void whileOutputsAreHiddenAnotherLibrarysExceptionIsDescribedByItsTypeAlone() {
        services.withPropertyValues("openinference.hide-outputs=true").run(context -> {
            EventData event = recordOn(context.getBean(Tracer.class), failure.getCause());

            assertThat(event).hasAttributesSatisfying(attributes -> {
                assertThat(attributes.get(TYPE)).isEqualTo(IllegalArgumentException.class.getName());
                assertThat(attributes.get(MESSAGE)).isNull();
                assertThat(attributes.get(STACKTRACE)).startsWith(IllegalArgumentException.class.getName() + "\n\tat ")
                        .doesNotContain(PROMPT);
            });
        });
    }

    @Test
    void withContentCapturedExceptionsAreRecordedAsTheSdkDoes() {
        services.run(context -> {
            EventData event = recordOn(context.getBean(Tracer.class), failure);

            assertThat(event).hasAttributesSatisfying(attributes ->
                    assertThat(attributes.get(STACKTRACE)).contains("Caused by: java.lang.IllegalArgumentException: 400: invalid content '" + PROMPT));
        });
    }

    private EventData recordOn(Tracer tracer, Throwable exception) {
        Span span = tracer.spanBuilder("work").startSpan();
        span.recordException(exception);
        span.end();
        return spans.getFinishedSpanItems().getLast().getEvents().getFirst();
    }
}
