package io.ctxprop.application.inspector;

import static io.ctxprop.application.inspector.OtlpPayloads.span;
import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The streaming reader: every span of a large export, in order and per service; what is not OTLP fails. */
class OtlpSpanReaderTest {

    static final SpanCheck CHECK = new SpanCheck(1024, 65536);

    @Test
    void aLargeExportIsReadInFullFromAStreamThatHandsOutFewBytesAtATime() throws Exception {
        Span[] app = new Span[3000];
        for (int i = 0; i < app.length; i++) {
            app[i] = span("%032x".formatted(i + 1), "%016x".formatted(i + 1), "", "span " + i, SPAN_KIND_INTERNAL, 0, 1,
                    "input.value=" + "x".repeat(200));
        }
        byte[] export = new OtlpPayloads().service("application-service", app)
                .service("gateway-service", span("%032x".formatted(1), "%016x".formatted(9999), "0000000000000001", "g", SPAN_KIND_INTERNAL, 0, 1))
                .bytes();
        assertThat(export.length).isGreaterThan(700_000);

        var spans = OtlpSpanReader.read(trickle(export), OtlpSpanReaderTest.CHECK).spans();

        assertThat(spans).hasSize(3001);
        assertThat(spans.get(2999).name()).isEqualTo("span 2999");
        assertThat(spans.get(2999).record().attribute("input.value")).hasSize(200);
        assertThat(spans.getLast().service()).isEqualTo("gateway-service");
        assertThat(spans.getLast().record().parentSpanId()).isEqualTo("0000000000000001");
    }

    @Test
    void bytesThatAreNotAnExportFail() {
        assertThatThrownBy(() -> OtlpSpanReader.read(new ByteArrayInputStream(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 0x01}), OtlpSpanReaderTest.CHECK).spans())
                .isInstanceOf(InvalidProtocolBufferException.class);
        byte[] whole = new OtlpPayloads().service("svc", span("%032x".formatted(1), "%016x".formatted(1), "", "s", SPAN_KIND_INTERNAL, 0, 1)).bytes();
        byte[] truncated = java.util.Arrays.copyOf(whole, whole.length - 3);
        assertThatThrownBy(() -> OtlpSpanReader.read(new ByteArrayInputStream(truncated), OtlpSpanReaderTest.CHECK).spans()).isInstanceOf(InvalidProtocolBufferException.class);
    }

    /** A stream that returns at most 7 bytes per read, as a slow network would. */
    private static InputStream trickle(byte[] bytes) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] buffer, int offset, int length) {
                return super.read(buffer, offset, Math.min(length, 7));
            }
        };
    }
}
