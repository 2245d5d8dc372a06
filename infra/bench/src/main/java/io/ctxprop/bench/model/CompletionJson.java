package io.ctxprop.bench.model;

import io.ctxprop.bench.http.Json;

/**
 * The bodies OpenAI's chat completions API answers with, as openai-java 4.x reads them: every field
 * its {@code ChatCompletion} and {@code ChatCompletionChunk} require ({@code id}, {@code object},
 * {@code created}, {@code model}, {@code choices}; per choice {@code index} and the message or delta).
 */
final class CompletionJson {

    private CompletionJson() {
    }

    static String completion(String id, long created, String model, StandInAnswer answer) {
        return "{\"id\":\"" + id + "\",\"object\":\"chat.completion\",\"created\":" + created + ",\"model\":"
                + Json.quote(model) + ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                + Json.quote(answer.text()) + ",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
                + "\"usage\":" + usage(answer) + "}";
    }

    /** A chunk with one word; the first one also names the role, as OpenAI's first chunk does. */
    static String wordChunk(String id, long created, String model, String word, boolean first) {
        String delta = (first ? "{\"role\":\"assistant\",\"content\":" : "{\"content\":") + Json.quote(word) + "}";
        return chunk(id, created, model, "[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":null}]",
                "");
    }

    static String finalChunk(String id, long created, String model) {
        return chunk(id, created, model, "[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]", "");
    }

    /** Sent when {@code stream_options.include_usage} asks for it: no choices, the usage. */
    static String usageChunk(String id, long created, String model, StandInAnswer answer) {
        return chunk(id, created, model, "[]", ",\"usage\":" + usage(answer));
    }

    private static String chunk(String id, long created, String model, String choices, String more) {
        return "{\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":" + created + ",\"model\":"
                + Json.quote(model) + ",\"choices\":" + choices + more + "}";
    }

    private static String usage(StandInAnswer answer) {
        int completion = answer.completionTokens();
        return "{\"prompt_tokens\":" + answer.promptTokens() + ",\"completion_tokens\":" + completion
                + ",\"total_tokens\":" + (answer.promptTokens() + completion) + "}";
    }
}
