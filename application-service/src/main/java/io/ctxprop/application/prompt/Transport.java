package io.ctxprop.application.prompt;

import io.ctxprop.telemetry.web.TracedProblem;
import java.util.List;
import java.util.Locale;

/** How a prompt travels to the gateway. {@code BOTH} sends it over every hop at once. */
public enum Transport {
    HTTP, KAFKA, BOTH;

    /** The hops a request over this transport takes. */
    public List<Transport> hops() {
        return this == BOTH ? List.of(HTTP, KAFKA) : List.of(this);
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the wire name; a missing one means {@code http}. */
    public static Transport parse(String value) {
        if (value == null || value.isBlank()) {
            return HTTP;
        }
        for (Transport transport : values()) {
            if (transport.wireName().equals(value.strip().toLowerCase(Locale.ROOT))) {
                return transport;
            }
        }
        throw new TracedProblem(400, "Unknown transport",
                "The transport \"" + value + "\" is not one of http, kafka, both.");
    }
}
