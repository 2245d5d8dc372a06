package io.ctxprop.telemetry.export;

/** Small helpers for optional settings that arrive as empty strings from {@code .env}. */
final class Blank {

    private Blank() {
    }

    static boolean is(String value) {
        return value == null || value.isBlank();
    }

    static String orDefault(String value, String fallback) {
        return is(value) ? fallback : value.strip();
    }

    static String masked(String secret) {
        return is(secret) ? "<unset>" : "<set>";
    }
}
