package io.ctxprop.telemetry.web;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;

/**
 * A shared secret a caller presents as {@code Authorization: Bearer <key>}. Compared in constant time:
 * both sides are hashed first, so neither the content nor the length of the key leaks through timing.
 * The key itself is kept only as its digest and never printed.
 */
public final class BearerKey {

    private final byte[] digest;

    private BearerKey(String key) {
        this.digest = sha256(key);
    }

    /** The key, or empty when none is configured (blank). */
    public static Optional<BearerKey> of(String key) {
        return key == null || key.isBlank() ? Optional.empty() : Optional.of(new BearerKey(key.strip()));
    }

    /** Whether the request carries this key as a bearer token. */
    public boolean admits(HttpServletRequest request) {
        return matches(credential(request, "Bearer "));
    }

    /**
     * Whether the request carries this key as a bearer token, or as the password of HTTP Basic (any
     * user name): a browser asks for Basic credentials itself, so a person can open a page that needs it.
     */
    public boolean admitsBearerOrBasic(HttpServletRequest request) {
        if (admits(request)) {
            return true;
        }
        String basic = credential(request, "Basic ");
        if (basic == null) {
            return false;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(basic), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon >= 0 && matches(decoded.substring(colon + 1));
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    private boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    private static String credential(HttpServletRequest request, String scheme) {
        String header = request.getHeader("Authorization");
        if (header == null || header.length() <= scheme.length() || !header.regionMatches(true, 0, scheme, 0, scheme.length())) {
            return null;
        }
        return header.substring(scheme.length()).strip();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("Every JDK has SHA-256", impossible);
        }
    }

    @Override
    public String toString() {
        return "BearerKey[hidden]";
    }
}
