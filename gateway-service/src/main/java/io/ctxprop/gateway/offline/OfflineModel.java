package io.ctxprop.gateway.offline;

import java.util.List;

/**
 * The built-in model used when no API key is set: a deterministic answer that says plainly it came
 * from the offline model, with token counts as whitespace-separated words.
 */
public final class OfflineModel {

    public static final String NAME = "offline-echo";
    public static final String BASE_PATH = "/offline/v1";

    private OfflineModel() {
    }

    public static String answer(String prompt) {
        String oneLine = prompt.strip().replaceAll("\\s+", " ");
        String quoted = oneLine.length() > 80 ? oneLine.substring(0, 77) + "..." : oneLine;
        int words = tokens(prompt);
        return "Offline model answer: you wrote " + words + (words == 1 ? " word" : " words") + ", beginning \"" + quoted
                + "\". Set OPENAI_API_KEY or OPENAI_BASE_URL to ask a real model.";
    }

    public static int tokens(String text) {
        String stripped = text.strip();
        return stripped.isEmpty() ? 0 : stripped.split("\\s+").length;
    }

    /** The answer cut into the pieces a streamed reply sends, each a word with its trailing space. */
    public static List<String> chunks(String answer) {
        return List.of(answer.split("(?<= )"));
    }
}
