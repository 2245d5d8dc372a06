package io.ctxprop.telemetry.propagation;

/** The W3C Baggage limits: a header of at most 8192 bytes and 180 list members. */
public final class W3cBaggageLimits {

    public static final int MAX_BYTES = 8192;
    public static final int MAX_MEMBERS = 180;

    private W3cBaggageLimits() {
    }

    public static boolean within(String header) {
        return header == null || (header.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MAX_BYTES
                && header.split(",", -1).length <= MAX_MEMBERS);
    }
}
