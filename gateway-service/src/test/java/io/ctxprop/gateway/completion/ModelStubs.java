package io.ctxprop.gateway.completion;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Starts a {@link ModelStub} from a static initializer, where checked exceptions cannot go. */
public final class ModelStubs {

    private ModelStubs() {
    }

    public static ModelStub start() {
        try {
            return new ModelStub();
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }
}
