package io.ctxprop.gateway.completion;

import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionMessageParam;
import java.util.List;
import java.util.function.Function;

/** The role and the text of a typed request message, whichever of openai-java's message types it is. */
final class PromptMessages {

    private PromptMessages() {
    }

    static String role(ChatCompletionMessageParam message) {
        if (message.isSystem()) {
            return "system";
        }
        if (message.isDeveloper()) {
            return "developer";
        }
        if (message.isUser()) {
            return "user";
        }
        if (message.isAssistant()) {
            return "assistant";
        }
        if (message.isTool()) {
            return "tool";
        }
        return message.isFunction() ? "function" : "";
    }

    /** The text, or the text parts joined; images, audio and files are left out. */
    static String content(ChatCompletionMessageParam message) {
        if (message.isSystem()) {
            var content = message.asSystem().content();
            return content.isText() ? content.asText() : joined(content.asArrayOfContentParts(), ChatCompletionContentPartText::text);
        }
        if (message.isDeveloper()) {
            var content = message.asDeveloper().content();
            return content.isText() ? content.asText() : joined(content.asArrayOfContentParts(), ChatCompletionContentPartText::text);
        }
        if (message.isUser()) {
            var content = message.asUser().content();
            return content.isText() ? content.asText() : joined(content.asArrayOfContentParts(), PromptMessages::text);
        }
        if (message.isAssistant()) {
            return message.asAssistant().content().map(PromptMessages::text).orElse("");
        }
        if (message.isTool()) {
            var content = message.asTool().content();
            return content.isText() ? content.asText() : joined(content.asArrayOfContentParts(), ChatCompletionContentPartText::text);
        }
        return message.isFunction() ? message.asFunction().content().orElse("") : "";
    }

    private static String text(ChatCompletionContentPart part) {
        return part.isText() ? part.asText().text() : "";
    }

    private static String text(ChatCompletionAssistantMessageParam.Content content) {
        return content.isText() ? content.asText()
                : joined(content.asArrayOfContentParts(), part -> part.isText() ? part.asText().text() : "");
    }

    private static <T> String joined(List<T> parts, Function<T, String> text) {
        StringBuilder joined = new StringBuilder();
        parts.forEach(part -> joined.append(text.apply(part)));
        return joined.toString();
    }
}
