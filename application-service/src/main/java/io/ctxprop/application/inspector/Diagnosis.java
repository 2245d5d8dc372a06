package io.ctxprop.application.inspector;

/**
 * One finding about a trace, in words a newcomer understands, with what to do about it.
 *
 * @param level        {@code ok}, {@code info}, {@code warning} or {@code problem}
 * @param relatedTrace another trace the finding points to (the gateway's separate trace), or null
 */
public record Diagnosis(String level, String title, String explanation, String fix, String relatedTrace) {

    static Diagnosis ok(String title, String explanation) {
        return new Diagnosis("ok", title, explanation, null, null);
    }

    static Diagnosis info(String title, String explanation) {
        return new Diagnosis("info", title, explanation, null, null);
    }
}
