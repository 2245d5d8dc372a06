package io.ctxprop.bench.model;

import java.util.List;

/**
 * The stand-in model's answer to a prompt: always the same for the same prompt, about 30 words (or as
 * many as a scenario asks for, see {@link #to(String, int)}), so every scenario waits on the same model
 * and carries the same bytes back.
 *
 * @param text         the whole answer
 * @param promptTokens the prompt's words, counted as its tokens
 */
public record StandInAnswer(String text, int promptTokens) {

    private static final int QUOTED = 40;

    public static StandInAnswer to(String prompt) {
        String oneLine = prompt.strip().replaceAll("\\s+", " ");
        String quoted = oneLine.length() > QUOTED ? oneLine.substring(0, QUOTED - 3) + "..." : oneLine;
        int words = words(prompt);
        return new StandInAnswer("Stand-in model answer: your prompt has " + words + " words and begins \"" + quoted
                + "\". The same prompt always gets this same reply, so every scenario of the benchmark waits on an"
                + " identical model.", words);
    }

    /**
     * The same answer made {@code words} words long (its words over again, as often as needed, cut at
     * {@code words}): a long answer of a fast model, 500 tokens for instance. 0 or less: the answer as is.
     */
    public static StandInAnswer to(String prompt, int words) {
        var answer = to(prompt);
        if (words <= 0) {
            return answer;
        }
        String[] own = answer.text.split(" ");
        var text = new StringBuilder();
        for (int i = 0; i < words; i++) {
            text.append(i == 0 ? "" : " ").append(own[i % own.length]);
        }
        return new StandInAnswer(text.toString(), answer.promptTokens);
    }

    /** The pieces a streamed answer sends: each word with its trailing space. */
    List<String> chunks() {
        return List.of(text.split("(?<= )"));
    }

    int completionTokens() {
        return words(text);
    }

    private static int words(String text) {
        String stripped = text.strip();
        return stripped.isEmpty() ? 0 : stripped.split("\\s+").length;
    }
}
