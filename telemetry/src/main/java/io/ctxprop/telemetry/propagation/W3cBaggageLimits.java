package io.ctxprop.telemetry.propagation;

/** The W3C Baggage limits: a header of at most 8192 bytes and 180 list members. */
public final class W3cBaggageLimits {

    public static final int MAX_BYTES = 8192;
    public static final int MAX_MEMBERS = 180;

    private W3cBaggageLimits() {
    }

    public static boolean within(String header) {
        return header == null || (bytesWithin(header) && members(header) <= MAX_MEMBERS);
    }

    /** Read on every hop: decided from the length alone unless the header is near the limit. */
    private static boolean bytesWithin(String header) {
        if (header.length() > MAX_BYTES) {
            return false; // every char takes at least one byte
        }
        if (header.length() * 3 <= MAX_BYTES) {
            return true; // and at most three (a surrogate pair: four bytes for two chars)
        }
        return header.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MAX_BYTES;
    }

    private static int members(String header) {
        int members = 1;
        for (int i = 0; i < header.length(); i++) {
            if (header.charAt(i) == ',') {
                members++;
            }
        }
        return members;
    }
}
