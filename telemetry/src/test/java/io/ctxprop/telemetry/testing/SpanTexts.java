package io.ctxprop.telemetry.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Every piece of text a span carries, for tests that prove a prompt or answer is not among it. */
public final class SpanTexts {

    private SpanTexts() {
    }

    /** Attribute values, event names and attributes (exception messages and stack traces), link attributes, status. */
    public static List<String> of(SpanData span) {
        List<String> texts = new ArrayList<>();
        texts.add(span.getName());
        addValues(span.getAttributes(), texts);
        for (EventData event : span.getEvents()) {
            texts.add(event.getName());
            addValues(event.getAttributes(), texts);
        }
        for (LinkData link : span.getLinks()) {
            addValues(link.getAttributes(), texts);
        }
        texts.add(span.getStatus().getDescription());
        return texts;
    }

    /** Fails, naming the span, when any text of any span contains one of {@code secrets}. */
    public static void assertNoneContain(Collection<SpanData> spans, String... secrets) {
        assertThat(spans).isNotEmpty();
        for (SpanData span : spans) {
            for (String secret : secrets) {
                assertThat(of(span)).as("texts of span %s", span.getName())
                        .noneSatisfy(text -> assertThat(text).contains(secret));
            }
        }
    }

    /** How many of a span's texts contain {@code text}: a prompt or answer stored once per span counts 1. */
    public static long countContaining(SpanData span, String text) {
        return of(span).stream().filter(candidate -> candidate != null && candidate.contains(text)).count();
    }

    private static void addValues(Attributes attributes, List<String> texts) {
        attributes.forEach((key, value) -> texts.add(String.valueOf(value)));
    }
}
