package io.ctxprop.telemetry.streaming;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The record headers of a streamed answer over Kafka. A request with {@link #STREAM} {@code true} is
 * answered by chunk records (value {@code {"chunk","seq"}}, header {@link #CHUNK_SEQ} = seq, from 0)
 * and then one last record ({@code {"response","model"}} or {@code {"error","status"}}) with
 * {@link #LAST} {@code true} and {@link #CHUNK_SEQ} = the number of chunks before it, so a reader
 * knows which chunks it must have. A record with {@link #CANCEL} {@code true} on the request topic,
 * with the correlation id, key, reply topic and {@link #CANCEL_TOKEN} of a streamed request, asks the
 * gateway to stop that answer. All of them carry the request's {@code kafka_correlationId}.
 * <p>
 * The {@link #CANCEL_TOKEN} is a capability: a random secret the sender puts on the streamed request
 * and on its cancel only. The gateway never copies it onto a reply or a dead letter, logs it or puts it
 * on a span, so reading the replies (which carry the correlation id and key) is not enough to cancel.
 */
public final class StreamHeaders {

    public static final String STREAM = "ctxprop-stream";
    public static final String CHUNK_SEQ = "ctxprop-chunk-seq";
    public static final String LAST = "ctxprop-last";
    public static final String CANCEL = "ctxprop-cancel";
    public static final String CANCEL_TOKEN = "ctxprop-cancel-token";

    private static final byte[] TRUE = "true".getBytes(StandardCharsets.UTF_8);
    /** 128 random bits, as 32 hex digits. */
    private static final int CANCEL_TOKEN_BYTES = 16;
    /** Longer than any token worth comparing: not looked at. */
    private static final int MAX_CANCEL_TOKEN_LENGTH = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
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

    /** A new {@link #CANCEL_TOKEN} value: 128 bits from {@link SecureRandom}, as 32 hex digits. */
    public static byte[] newCancelToken() {
        byte[] random = new byte[CANCEL_TOKEN_BYTES];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random).getBytes(StandardCharsets.US_ASCII);
    }

    /** The record's {@link #CANCEL_TOKEN}, or null when it has none (or one too long or empty to be ours). */
    public static byte[] cancelToken(Headers headers) {
        Header header = headers == null ? null : headers.lastHeader(CANCEL_TOKEN);
        if (header == null || header.value() == null || header.value().length == 0 || header.value().length > MAX_CANCEL_TOKEN_LENGTH) {
            return null;
        }
        return header.value().clone();
    }
}
