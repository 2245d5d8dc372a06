package io.ctxprop.application.kafka;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * What the ledger keeps of a request's first reply, to tell a redelivered copy (the same answer) from
 * a different answer (a forged reply, or a second model answer): the value's SHA-256, and where the
 * reply came from (its trace context and coordinates), for the warning that names both.
 *
 * @param traceContext the reply's trace context as {@code <trace id>-<span id>}, or {@code none}
 * @param coordinates  {@code <topic>-<partition>@<offset>}
 */
record ReplyFingerprint(byte[] digest, String traceContext, String coordinates) {

    static ReplyFingerprint of(String value, String traceContext, String coordinates) {
        try {
            byte[] bytes = value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
            return new ReplyFingerprint(MessageDigest.getInstance("SHA-256").digest(bytes), traceContext, coordinates);
        } catch (NoSuchAlgorithmException absent) {
            throw new IllegalStateException("Every JDK has SHA-256", absent);
        }
    }

    boolean sameValue(ReplyFingerprint other) {
        return MessageDigest.isEqual(digest, other.digest);
    }

}
