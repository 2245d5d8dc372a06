package io.ctxprop.telemetry;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.BaggageBuilder;
import io.opentelemetry.api.baggage.BaggageEntry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.springframework.core.env.Environment;

/**
 * The baggage entries that reach spans ({@code telemetry.baggage-span-attributes}, by default only
 * {@code session.id}; see {@link BaggageSpanAttributes}), and nothing else of a caller's baggage: what a
 * service may keep of a request's context after the request (up to 8 KB and 180 entries from a caller,
 * kept for thousands of requests, would fill the heap). Values are cut to the length a span takes.
 */
public final class SpanBaggage {

    public static final String PROPERTY = "telemetry.baggage-span-attributes";
    private static final List<String> DEFAULT = List.of("session.id");

    private final Set<String> keys;

    public SpanBaggage(Collection<String> keys) {
        this.keys = Set.copyOf(keys);
    }

    /** The keys the environment names ({@value #PROPERTY}), {@code session.id} when it names none. */
    @SuppressWarnings("unchecked")
    public static Set<String> keys(Environment environment) {
        return Set.copyOf(environment.getProperty(PROPERTY, List.class, DEFAULT));
    }

    public static SpanBaggage from(Environment environment) {
        return new SpanBaggage(keys(environment));
    }

    Set<String> keys() {
        return keys;
    }

    /** Only the entries that reach spans, their values cut as on a span. */
    public Baggage of(Baggage baggage) {
        BaggageBuilder kept = Baggage.builder();
        for (String key : keys) {
            BaggageEntry entry = baggage.asMap().get(key);
            if (entry != null) {
                kept.put(key, cut(entry.getValue()));
            }
        }
        return kept.build();
    }

    /** The span context of {@code context} and its baggage that reaches spans, nothing else (no span's attributes). */
    public Context remembered(Context context) {
        return Context.root().with(Span.wrap(Span.fromContext(context).getSpanContext())).with(of(Baggage.fromContext(context)));
    }

    static String cut(String value) {
        return value.length() > BaggageSpanAttributes.MAX_VALUE_LENGTH ? value.substring(0, BaggageSpanAttributes.MAX_VALUE_LENGTH) : value;
    }
}
