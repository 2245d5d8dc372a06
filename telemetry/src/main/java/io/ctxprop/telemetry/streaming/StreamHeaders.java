package io.ctxprop.telemetry.streaming;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The record headers of a streamed answer over Kafka. A request with {@link #STREAM} {@code true} is
 * answered by chunk records (value {@code {"chunk","seq"}}, header {@link #CHUNK_SEQ} = seq, from 0)
 * and then one last record ({@code {"response","model"}} or {@code {"error","status"}}) with
 * {@link #LAST} {@code true} and {@link #CHUNK_SEQ} = the number of chunks before it, so a reader
 * knows which chunks it must have. A record with {@link #CANCEL} {@code true} on the request topic,
 * with the correlation id (and key) of a streamed request, asks the gateway to stop that answer.
 * All of them carry the request's {@code kafka_correlationId}.
 */
public final class StreamHeaders {

    public static final String STREAM = "ctxprop-stream";
    public static final String CHUNK_SEQ = "ctxprop-chunk-seq";
    public static final String LAST = "ctxprop-last";
    public static final String CANCEL = "ctxprop-cancel";

    private static final byte[] TRUE = "true".getBytes(StandardCharsets.UTF_8);
    /** Longer than any int in decimal: not a sequence number. */
    private static final int MAX_SEQ_DIGITS = 10;

    private StreamHeaders() {
    }

    /** True when the header's last value is the text {@code true} (any case, surrounding blanks allowed). */
    public static boolean isSet(Headers headers, String name) {
        Header header = headers == null ? null : headers.lastHeader(name);
        if (header == null || header.value() == null || header.value().length > 16) {
            return false;
        }
        return new String(header.value(), StandardCharsets.US_ASCII).strip().equalsIgnoreCase("true");
    }

    public static void set(Headers headers, String name) {
        headers.remove(name);
        headers.add(name, TRUE);
    }

    /** The {@link #CHUNK_SEQ} header as a number, or -1 when it is missing or not a non-negative decimal int. */
    public static int seq(Headers headers) {
        Header header = headers == null ? null : headers.lastHeader(CHUNK_SEQ);
        if (header == null || header.value() == null || header.value().length == 0 || header.value().length > MAX_SEQ_DIGITS) {
            return -1;
        }
        long value = 0;
        for (byte digit : header.value()) {
            if (digit < '0' || digit > '9') {
                return -1;
            }
            value = value * 10 + (digit - '0');
        }
        return value > Integer.MAX_VALUE ? -1 : (int) value;
    }

    public static void setSeq(Headers headers, int seq) {
        headers.remove(CHUNK_SEQ);
        headers.add(CHUNK_SEQ, Integer.toString(seq).getBytes(StandardCharsets.US_ASCII));
    }
}
