package io.ctxprop.telemetry.web;

/** The input check both services make on a prompt: present, and not longer than the documented limit. */
public final class TextLimit {

    private TextLimit() {
    }

    /** @throws TracedProblem 400 for a missing or blank text, 413 for one longer than {@code maxLength} characters */
    public static String require(String text, int maxLength) {
        if (text == null || text.isBlank()) {
            throw new TracedProblem(400, "Empty text", "The field \"text\" must hold a non-blank prompt.");
        }
        if (text.length() > maxLength) {
            throw new TracedProblem(413, "Text too large",
                    "The text has " + text.length() + " characters; the limit is " + maxLength + ".");
        }
        return text;
    }
}
