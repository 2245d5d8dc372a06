package io.ctxprop.application.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The inspector as a hostile exporter finds it: 10,000 OTLP bodies from a fixed seed, valid protobuf
 * with hostile values (ids of every wrong length and all zero, reversed and extreme times, huge and
 * empty names and attributes, invalid UTF-8, unknown kinds, deep and cyclic parent chains, duplicate
 * span ids, self-parents, bad links), plus truncated and oversized bodies. Each body is answered 200
 * with exactly the partial success the generator predicts, or 400 / 413; afterwards every page and
 * JSON answer of the inspector, for every trace the bodies touched, is 200 or 404, never 500.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"inspector.max-body-bytes=1048576", "inspector.ingest-key=fuzz-ingest-key", "inspector.form-wait=10ms"})
class InspectorFuzzTest {

    static final long SEED = 20261207L;
    static final int BODIES = 10_000;
    private static final String KEY = "fuzz-ingest-key";
    private static final HexFormat HEX = HexFormat.of();

    /** What one span was made to be, and whether the inspector must reject it. */
    enum Mutation {
        VALID(false), EMPTY_NAME(false), EMPTY_ATTRIBUTE(false), UNKNOWN_KIND(false), WIDEST_TIMES(false), SELF_PARENT(false),
        DUPLICATE_ID(false), CYCLE(false), DEEP_CHAIN(false), ZERO_PARENT_OF_EIGHT(false),
        TRACE_ID_LENGTH(true), ZERO_TRACE_ID(true), SPAN_ID_LENGTH(true), ZERO_SPAN_ID(true), PARENT_LENGTH(true),
        REVERSED_TIMES(true), TIME_PAST_2262(true), HUGE_NAME(true), HUGE_ATTRIBUTE(true), INVALID_UTF8_NAME(true),
        HUGE_EVENT_NAME(true), BAD_LINK(true), HUGE_STATUS_MESSAGE(true);

        final boolean rejected;

        Mutation(boolean rejected) {
            this.rejected = rejected;
        }
    }

    @Autowired
    TraceStore store;

    @Value("${local.server.port}")
    int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Random random = new Random(SEED);
    /** A small pool, so that spans from many bodies meet in the same traces. */
    private final List<ByteString> traceIds = new ArrayList<>();

    @Test
    void tenThousandHostileBodiesNeverBreakTheInspector() throws Exception {
        for (int i = 0; i < 64; i++) {
            traceIds.add(ByteString.copyFrom(randomBytes(16)));
        }
        Map<String, Integer> statuses = new TreeMap<>();
        long spans = 0;
        long rejected = 0;
        for (int body = 0; body < BODIES; body++) {
            int shape = random.nextInt(100);
            if (shape < 2) {
                // one service: the body is one field, and a cut anywhere in its payload leaves it incomplete
                byte[] whole = request(new ArrayList<>(), 1).toByteArray();
                byte[] truncated = Arrays.copyOf(whole, whole.length - 1 - random.nextInt(whole.length - 4));
                assertThat(post(truncated).statusCode()).as("truncated body %d", body).isEqualTo(400);
                statuses.merge("400", 1, Integer::sum);
                continue;
            }
            if (shape < 3) {
                byte[] huge = new byte[1_048_577];
                huge[0] = 0x0a;
                assertThat(post(huge).statusCode()).as("oversized body %d", body).isEqualTo(413);
                statuses.merge("413", 1, Integer::sum);
                continue;
            }
            List<Mutation> made = new ArrayList<>();
            ExportTraceServiceRequest request = request(made, 1 + random.nextInt(3));
            long expectedRejected = made.stream().filter(m -> m.rejected).count();
            HttpResponse<byte[]> response = post(request.toByteArray());
            assertThat(response.statusCode()).as("body %d: %s", body, made).isEqualTo(200);
            var answer = ExportTraceServiceResponse.parseFrom(response.body());
            assertThat(answer.getPartialSuccess().getRejectedSpans()).as("rejected of body %d: %s", body, made).isEqualTo(expectedRejected);
            assertThat(answer.getPartialSuccess().getErrorMessage().isEmpty()).as("error message of body %d", body)
                    .isEqualTo(expectedRejected == 0);
            statuses.merge("200", 1, Integer::sum);
            spans += made.size();
            rejected += expectedRejected;
        }

        Map<String, Integer> pages = new TreeMap<>();
        check(pages, "/traces", "text/html");
        check(pages, "/traces", "application/json");
        for (String outcome : List.of("ok", "4xx", "5xx", "error")) {
            check(pages, "/traces?status=" + outcome, "application/json");
        }
        check(pages, "/traces/" + "e".repeat(32), "application/json"); // never sent: a 404
        for (ByteString traceId : traceIds) {
            String id = HEX.formatHex(traceId.toByteArray());
            check(pages, "/traces/" + id, "text/html");
            check(pages, "/traces/" + id, "application/json");
            check(pages, "/traces/" + id + "/embed", "text/html");
        }
        System.out.printf("Inspector fuzz: seed %d, %d bodies (%s), %d spans of which %d rejected, %d traces stored; pages %s%n",
                SEED, BODIES, statuses, spans, rejected, store.traceCount(), pages);
        assertThat(statuses.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(BODIES);
        assertThat(pages).as("every page and JSON answer is 200 or 404").containsOnlyKeys("200", "404");
        assertThat(store.traceCount()).as("valid spans were stored").isPositive();
    }

    private void check(Map<String, Integer> pages, String path, String accept) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " " + accept + ": " + response.body()).isIn(200, 404);
        pages.merge(Integer.toString(response.statusCode()), 1, Integer::sum);
    }

    private HttpResponse<byte[]> post(byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/traces"))
                .header("Content-Type", "application/x-protobuf").header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** One to three services of one to eight spans each; {@code made} collects what each span was made to be. */
    private ExportTraceServiceRequest request(List<Mutation> made, int services) {
        var request = ExportTraceServiceRequest.newBuilder();
        for (int s = 0; s < services; s++) {
            var scope = ScopeSpans.newBuilder();
            int count = 1 + random.nextInt(8);
            List<Span> built = new ArrayList<>();
            List<Span> accepted = new ArrayList<>();
            UnknownFieldSet.Field.Builder raw = UnknownFieldSet.Field.newBuilder();
            for (int i = 0; i < count; i++) {
                Mutation mutation = Mutation.values()[random.nextInt(Mutation.values().length)];
                if ((mutation == Mutation.HUGE_ATTRIBUTE || mutation == Mutation.HUGE_STATUS_MESSAGE) && random.nextInt(4) != 0) {
                    mutation = Mutation.VALID; // a quarter as often as the others: they are the heavy bodies
                }
                if (mutation == Mutation.DEEP_CHAIN) {
                    // a chain in one trace, each the parent of the next (deep across bodies too: ids repeat)
                    ByteString trace = traceIds.get(random.nextInt(4));
                    ByteString parent = ByteString.EMPTY;
                    int depth = 5 + random.nextInt(20);
                    for (int d = 0; d < depth; d++) {
                        ByteString id = ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, (byte) (d >> 8), (byte) (d + 1)});
                        Span link = valid(trace).setSpanId(id).setParentSpanId(parent).build();
                        built.add(link);
                        accepted.add(link);
                        made.add(Mutation.DEEP_CHAIN);
                        parent = id;
                    }
                    continue;
                }
                Span span = mutate(mutation, accepted).build();
                if (mutation == Mutation.INVALID_UTF8_NAME) {
                    // the builder refuses such a name: the span's bytes get a last name field (last wins), and go on the
                    // wire as spans field 2 of the scope, where the generated classes cannot hold them
                    raw.addLengthDelimited(span.toByteString().concat(ByteString.copyFrom(new byte[] {0x2a, 4, 'o', 'k', (byte) 0xc3, 0x28})));
                    made.add(mutation);
                    continue;
                }
                built.add(span);
                if (!mutation.rejected) {
                    accepted.add(span);
                }
                made.add(mutation);
            }
            scope.addAllSpans(built).setUnknownFields(UnknownFieldSet.newBuilder().addField(2, raw.build()).build());
            request.addResourceSpans(ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder().addAttributes(attribute("service.name", random.nextBoolean() ? "gateway-service" : "fuzz")))
                    .addScopeSpans(scope));
        }
        return request.build();
    }

    /** @param earlier the spans of this service so far that the inspector accepts (twins for duplicate ids) */
    private Span.Builder mutate(Mutation mutation, List<Span> earlier) {
        ByteString trace = traceIds.get(random.nextInt(traceIds.size()));
        Span.Builder span = valid(trace);
        switch (mutation) {
            case VALID -> { }
            case EMPTY_NAME -> span.setName("");
            case EMPTY_ATTRIBUTE -> span.addAttributes(KeyValue.newBuilder().setKey("").setValue(AnyValue.getDefaultInstance()));
            case UNKNOWN_KIND -> span.setKindValue(6 + random.nextInt(1000));
            case WIDEST_TIMES -> span.setStartTimeUnixNano(0).setEndTimeUnixNano(Long.MAX_VALUE);
            case SELF_PARENT -> span.setParentSpanId(span.getSpanId());
            case DUPLICATE_ID -> {
                if (!earlier.isEmpty()) {
                    Span twin = earlier.get(random.nextInt(earlier.size()));
                    span.setTraceId(twin.getTraceId()).setSpanId(twin.getSpanId()).setParentSpanId(twin.getSpanId());
                }
            }
            case CYCLE -> {
                // A's parent is B and B's parent is A: A here, B in a later body or never
                ByteString other = ByteString.copyFrom(new byte[] {9, 9, 9, 9, 9, 9, 9, (byte) (1 + random.nextInt(8))});
                span.setTraceId(traceIds.getFirst()).setSpanId(other).setParentSpanId(
                        ByteString.copyFrom(new byte[] {9, 9, 9, 9, 9, 9, 9, (byte) (1 + random.nextInt(8))}));
            }
            case ZERO_PARENT_OF_EIGHT -> span.setParentSpanId(ByteString.copyFrom(new byte[8]));
            case TRACE_ID_LENGTH -> span.setTraceId(ByteString.copyFrom(randomBytes(wrongLength(16))));
            case ZERO_TRACE_ID -> span.setTraceId(ByteString.copyFrom(new byte[16]));
            case SPAN_ID_LENGTH -> span.setSpanId(ByteString.copyFrom(randomBytes(wrongLength(8))));
            case ZERO_SPAN_ID -> span.setSpanId(ByteString.copyFrom(new byte[8]));
            case PARENT_LENGTH -> {
                int length = wrongLength(8);
                span.setParentSpanId(ByteString.copyFrom(randomBytes(length == 0 ? 3 : length)));
            }
            case REVERSED_TIMES -> span.setStartTimeUnixNano(span.getEndTimeUnixNano() + 1 + random.nextInt(1_000_000));
            case TIME_PAST_2262 -> span.setStartTimeUnixNano(Long.MIN_VALUE + random.nextInt(1000)).setEndTimeUnixNano(-1);
            case HUGE_NAME -> span.setName("n".repeat(1025 + random.nextInt(4000)));
            case HUGE_ATTRIBUTE -> span.addAttributes(attribute("input.value", "a".repeat(65_537 + random.nextInt(100))));
            case INVALID_UTF8_NAME -> { } // its name is added to its bytes: see request()
            case HUGE_EVENT_NAME -> span.addEvents(Span.Event.newBuilder().setName("e".repeat(2000)).setTimeUnixNano(1));
            case BAD_LINK -> span.addLinks(Span.Link.newBuilder().setTraceId(ByteString.copyFrom(randomBytes(3))).setSpanId(span.getSpanId()));
            case HUGE_STATUS_MESSAGE -> span.getStatusBuilder().setMessage("m".repeat(65_537));
            default -> throw new IllegalStateException("Made elsewhere: " + mutation);
        }
        return span;
    }

    private Span.Builder valid(ByteString trace) {
        long start = 1_700_000_000_000_000_000L + random.nextInt(1_000_000_000);
        return Span.newBuilder()
                .setTraceId(trace)
                .setSpanId(ByteString.copyFrom(nonZero(8)))
                .setParentSpanId(random.nextInt(3) == 0 ? ByteString.EMPTY : ByteString.copyFrom(nonZero(8)))
                .setName("fuzz " + random.nextInt(100))
                .setKind(Span.SpanKind.forNumber(random.nextInt(6)))
                .setStartTimeUnixNano(start)
                .setEndTimeUnixNano(start + random.nextInt(100_000_000))
                .addAttributes(attribute("http.request.method", "POST"))
                .addAttributes(attribute("http.response.status_code", Integer.toString(200 + random.nextInt(400))));
    }

    private int wrongLength(int right) {
        int length;
        do {
            length = random.nextInt(41);
        } while (length == right);
        return length;
    }

    private byte[] nonZero(int length) {
        byte[] bytes = randomBytes(length);
        bytes[length - 1] |= 1;
        return bytes;
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }
}
