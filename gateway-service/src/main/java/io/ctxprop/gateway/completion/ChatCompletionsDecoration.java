package io.ctxprop.gateway.completion;

import com.openai.client.OpenAIClient;
import com.openai.services.blocking.ChatService;
import com.openai.services.blocking.chat.ChatCompletionService;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.UnaryOperator;

/**
 * An {@link OpenAIClient} whose {@code chat().completions()} is replaced by a decorator, and which is
 * otherwise the client itself. Proxies, because openai-java's client and service interfaces have
 * dozens of methods; the decorated services are made once, not per call.
 */
final class ChatCompletionsDecoration {

    private ChatCompletionsDecoration() {
    }

    static OpenAIClient decorate(OpenAIClient client, UnaryOperator<ChatCompletionService> decorator) {
        ChatService chat = decorate(client.chat(), decorator);
        return proxy(OpenAIClient.class, client, (method, call) -> switch (method.getName()) {
            case "chat" -> chat;
            case "withOptions" -> decorate((OpenAIClient) call.result(), decorator);
            default -> call.result();
        });
    }

    private static ChatService decorate(ChatService chat, UnaryOperator<ChatCompletionService> decorator) {
        ChatCompletionService completions = decorator.apply(chat.completions());
        return proxy(ChatService.class, chat, (method, call) -> switch (method.getName()) {
            case "completions" -> completions;
            case "withOptions" -> decorate((ChatService) call.result(), decorator);
            default -> call.result();
        });
    }

    /** The call of a method on the proxied object, made only if the answer needs it. */
    private interface Call {
        Object result() throws Throwable;
    }

    private interface Answer {
        Object to(Method method, Call call) throws Throwable;
    }

    private static <T> T proxy(Class<T> type, T target, Answer answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (ignored, method, args) ->
                answer.to(method, () -> {
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException failure) {
                        throw failure.getCause();
                    }
                })));
    }
}
