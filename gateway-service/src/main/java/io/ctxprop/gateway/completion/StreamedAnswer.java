package io.ctxprop.gateway.completion;

import com.openai.errors.OpenAIInvalidDataException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.completions.CompletionUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A streamed answer put together from its typed chunks as they pass: the text of each choice, the
 * model, and the usage the last chunk carries. A chunk that does not match openai-java's types makes
 * the answer unreadable (it is then not written on the span); the caller reading it fails anyway.
 */
final class StreamedAnswer {

    /** More choices than a request could ask for: a chunk naming a higher index is not believed. */
    static final int MAX_CHOICES = 128;

    private final List<StringBuilder> contents = new ArrayList<>(1);
    private String model = "";
    private CompletionUsage usage;
    private boolean readable = true;

    /** @return whether the chunk carried content (text of a choice) */
    boolean add(ChatCompletionChunk chunk) {
        if (!readable) {
            return false;
        }
        boolean content = false;
        try {
            model = chunk.model();
            chunk.usage().ifPresent(tokens -> usage = tokens);
            for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                String piece = choice.delta().content().orElse("");
                if (!piece.isEmpty()) {
                    contentOf(choice.index()).append(piece);
                    content = true;
                }
            }
        } catch (OpenAIInvalidDataException | IndexOutOfBoundsException malformed) {
            readable = false;
        }
        return content;
    }

    boolean readable() {
        return readable;
    }

    String model() {
        return model;
    }

    List<String> contents() {
        return contents.stream().map(StringBuilder::toString).toList();
    }

    Optional<CompletionUsage> usage() {
        return Optional.ofNullable(usage);
    }

    /** Choices arrive by index; the list grows to the highest index seen. */
    private StringBuilder contentOf(long index) {
        if (index < 0 || index >= MAX_CHOICES) {
            throw new IndexOutOfBoundsException("choice " + index);
        }
        while (contents.size() <= index) {
            contents.add(new StringBuilder());
        }
        return contents.get((int) index);
    }
}
