package io.ctxprop.application.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Both compact forms decode to the {@link SpanRecord} the inspector always showed: a span received
 * over OTLP and the same span handed over in-process give equal records, with every attribute type's
 * text form and every event's time and text.
 */
class StoredSpanTest {

    static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    static final SpanData SPAN = TestSpanData.builder()
            .setSpanContext(SpanContext.create(TRACE, "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault()))
            .setParentSpanContext(SpanContext.create(TRACE, "00f067aa0ba902b7", TraceFlags.getSampled(), TraceState.getDefault()))
            .setName("gateway_request")
            .setKind(SpanKind.CLIENT)
            .setStartEpochNanos(1_000)
            .setEndEpochNanos(5_000)
            .setHasEnded(true)
            .setStatus(StatusData.create(StatusCode.ERROR, "gateway said no"))
            .setResource(Resource.builder().put("service.name", "application-service").put("service.instance.id", "instance-1").build())
            .setAttributes(Attributes.builder()
                    .put("text", "hello")
                    .put("flag", true)
                    .put("count", 42L)
                    .put("ratio", 1.5)
                    .put(AttributeKey.stringArrayKey("names"), List.of("a", "b"))
                    .put(AttributeKey.longArrayKey("sizes"), List.of(1L, 2L))
                    .put(AttributeKey.booleanArrayKey("answers"), List.of(true, false))
                    .put(AttributeKey.doubleArrayKey("weights"), List.of(0.25, 2.0))
                    .put(AttributeKey.valueKey("raw"), Value.of(new byte[] {0x0a, (byte) 0xff}))
                    .build())
            .setTotalAttributeCount(9)
            .setEvents(List.of(EventData.create(2_000, "exception", Attributes.of(AttributeKey.stringKey("exception.message"), "boom")),
                    EventData.create(2_500, "exception", Attributes.of(AttributeKey.stringKey("exception.type"), "java.lang.NullPointerException",
                            AttributeKey.stringKey("exception.stacktrace"), "java.lang.NullPointerException\n\tat Somewhere.run")),
                    EventData.create(3_000, "retry", Attributes.empty()),
                    EventData.create(4_000, "first_chunk", Attributes.of(AttributeKey.stringKey("transport"), "http", AttributeKey.longKey("seq"), 0L))))
            .setTotalRecordedEvents(4)
            .setLinks(List.of(LinkData.create(SpanContext.create("11111111111111111111111111111111", "2222222222222222",
                    TraceFlags.getSampled(), TraceState.getDefault()))))
            .setTotalRecordedLinks(1)
            .build();

    static final SpanRecord EXPECTED = new SpanRecord(TRACE, "b7ad6b7169203331", "00f067aa0ba902b7", "gateway_request", "CLIENT",
            "application-service", "instance-1", 1_000, 5_000, "ERROR", "gateway said no",
            Map.of("text", "hello", "flag", "true", "count", "42", "ratio", "1.5", "names", "[a, b]", "sizes", "[1, 2]",
                    "answers", "[true, false]", "weights", "[0.25, 2.0]", "raw", "0aff"),
            List.of("2222222222222222"), List.of(new SpanEvent("exception", 2_000, "boom"),
                    new SpanEvent("exception", 2_500, "exception.type=java.lang.NullPointerException"), new SpanEvent("retry", 3_000, ""),
                    new SpanEvent("first_chunk", 4_000, "seq=0, transport=http")));

    @Test
    void aSpanReceivedOverOtlpDecodesToItsRecord() throws Exception {
        List<ReceivedSpan> received = OtlpSpanReader.read(new ByteArrayInputStream(otlp(SPAN)), OtlpSpanReaderTest.CHECK).spans();

        assertThat(received).singleElement().satisfies(span -> {
            assertThat(span.traceId()).isEqualTo(TRACE);
            assertThat(span.name()).isEqualTo("gateway_request");
            assertThat(span.record()).isEqualTo(EXPECTED);
        });
    }

    @Test
    void aSpanHandedOverInProcessDecodesToTheSameRecord() throws Exception {
        SpanRecord local = LocalSpan.of(SPAN).record();

        assertThat(local).isEqualTo(EXPECTED);
        assertThat(local.attributes().keySet()).containsExactlyElementsOf(
                OtlpSpanReader.read(new ByteArrayInputStream(otlp(SPAN)), OtlpSpanReaderTest.CHECK).spans().getFirst().record().attributes().keySet());
    }

    @Test
    void aRootSpanHasNoParentEitherWay() throws Exception {
        SpanData root = TestSpanData.builder().setSpanContext(SPAN.getSpanContext()).setName("POST /prompt").setKind(SpanKind.SERVER)
                .setStartEpochNanos(1).setEndEpochNanos(2).setHasEnded(true).setStatus(StatusData.unset()).build();

        SpanRecord local = LocalSpan.of(root).record();

        assertThat(local.isRoot()).isTrue();
        assertThat(local.status()).isEqualTo("UNSET");
        assertThat(local).isEqualTo(OtlpSpanReader.read(new ByteArrayInputStream(otlp(root)), OtlpSpanReaderTest.CHECK).spans().getFirst().record());
    }

    @Test
    void aBrokenAttributeShowsOnItsSpanInsteadOfHidingTheTrace() {
        // A span with a trace id, a name and an attribute whose key has no length: well-formed at the
        // span's level (all intake reads), broken inside.
        byte[] body = {0x0a, 0x01, 0x01, 0x2a, 0x01, 'x', 0x4a, 0x01, 0x0a};
        SpanRecord record = new ReceivedSpan("01", "x", "svc", "", body).record();

        assertThat(record.name()).isEqualTo("x");
        assertThat(record.status()).isEqualTo("ERROR");
        assertThat(record.statusMessage()).startsWith("The span's other fields are not valid OTLP");
    }

    static byte[] otlp(SpanData... spans) throws Exception {
        var out = new ByteArrayOutputStream();
        TraceRequestMarshaler.create(List.of(spans)).writeBinaryTo(out);
        return out.toByteArray();
    }
}
