package io.ctxprop.application.inspector;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The trace inspector's bounds and keys.
 *
 * @param maxTraces         traces kept; past it the oldest goes first
 * @param maxSpansPerTrace  spans kept per trace; later ones are counted as dropped
 * @param maxBodyBytes      largest OTLP request accepted (413 above it), after decompression too
 * @param formWait          how long the form waits for a trace's spans before it shows the waterfall
 * @param phoenixUiUrl      Phoenix's address for "open in Phoenix" links; empty: no links
 * @param maxBytes          {@code INSPECTOR_MAX_BYTES}: the stored spans' size; past it the oldest trace goes first
 * @param maxNameBytes      longest span or event name accepted at ingest, in UTF-8 bytes
 * @param maxAttributeBytes longest attribute (key and value as encoded, the span's and its events' and links') accepted at ingest
 * @param ingestKey         {@code INSPECTOR_INGEST_KEY}: set, {@code POST /v1/traces} needs it as a bearer token
 */
@ConfigurationProperties("inspector")
public record InspectorProperties(int maxTraces, int maxSpansPerTrace, int maxBodyBytes, Duration formWait, String phoenixUiUrl,
        @DefaultValue("67108864") long maxBytes, @DefaultValue("1024") int maxNameBytes, @DefaultValue("65536") int maxAttributeBytes,
        @DefaultValue("") String ingestKey) {

    @Override
    public String toString() {
        return "InspectorProperties[maxTraces=" + maxTraces + ", maxSpansPerTrace=" + maxSpansPerTrace + ", maxBytes=" + maxBytes
                + ", ingestKey=" + (ingestKey == null || ingestKey.isBlank() ? "unset" : "set") + "]";
    }
}
