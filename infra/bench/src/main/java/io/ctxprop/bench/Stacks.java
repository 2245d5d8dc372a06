package io.ctxprop.bench;

import io.ctxprop.bench.stack.AskPath;
import io.ctxprop.bench.stack.ModelServer;
import io.ctxprop.bench.stack.ServiceStack;
import io.ctxprop.bench.stack.SpanSink;
import io.ctxprop.bench.stack.Tracing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The stacks a run may need and the model servers they call, all started side by side; a stack is
 * null where the run has no scenario for it. The tracing-on and tracing-off stacks share the fast
 * model; the slow-model stack has its own.
 */
record Stacks(ServiceStack traced, ServiceStack untraced, CompletableFuture<ServiceStack> slowStarting,
        ModelServer fastModel, ModelServer slowModel) implements AutoCloseable {

    /** The slow-model stack once it is up; null if the run has no slow-model scenario. */
    ServiceStack slow() {
        return slowStarting.join();
    }

    static Stacks start(BenchOptions options, String bootstrapServers, SpanSink sink, Path logs) {
        boolean smoke = options.mode() == BenchOptions.Mode.SMOKE;
        boolean on = Arrays.stream(AskPath.values()).anyMatch(path -> options.runs(path.transport() + "-on"));
        boolean off = !smoke && Arrays.stream(AskPath.values()).anyMatch(path -> options.runs(path.transport() + "-off"));
        boolean slow = !smoke && Bench.SLOW_PATHS.stream().anyMatch(path -> options.runs("slow-" + path.transport()));
        var fastModel = ModelServer.planned("model");
        var slowModel = ModelServer.planned("slow-model");
        var starting = new ArrayList<CompletableFuture<?>>();
        starting.add(startIf(on || off, () -> fastModel.start(Duration.ZERO, bootstrapServers, options.serviceJvm(),
                options.services(), logs)));
        var slowModelStarting = startIf(slow, () -> slowModel.start(Bench.SLOW_MODEL, bootstrapServers, options.serviceJvm(),
                options.services(), logs));
        var traced = startIf(on, () -> ServiceStack.start("on", Tracing.ON, fastModel, bootstrapServers, sink,
                options.services(), options.serviceJvm(), logs));
        var untraced = startIf(off, () -> ServiceStack.start("off", Tracing.OFF, fastModel, bootstrapServers, sink,
                options.services(), options.serviceJvm(), logs));
        var slowStack = startIf(slow, () -> ServiceStack.start("slow", Tracing.ON, slowModel, bootstrapServers, sink,
                options.services(), options.serviceJvm(), logs));
        starting.addAll(List.of(traced, untraced));
        // The slow stack with its model: the full run waits for it before measuring anything; the
        // quick run lets it start during the first scenarios, whose figures are rough anyway.
        var slowStarting = slowStack.thenCombine(slowModelStarting, (stack, model) -> stack);
        if (options.mode() != BenchOptions.Mode.QUICK) {
            starting.add(slowStarting);
        }
        CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).exceptionally(failed -> null).join();
        var stacks = new Stacks(traced.getNow(null), untraced.getNow(null), slowStarting, fastModel, slowModel);
        var failure = starting.stream().filter(CompletableFuture::isCompletedExceptionally).findFirst();
        if (failure.isPresent()) {
            stacks.close();
            failure.get().join();
        }
        return stacks;
    }

    /** Starts a process in the background when the run needs it; completes with null when it does not. */
    private static <T> CompletableFuture<T> startIf(boolean needed, Starter<T> starter) {
        return needed ? CompletableFuture.supplyAsync(() -> {
            try {
                return starter.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }) : CompletableFuture.completedFuture(null);
    }

    private interface Starter<T> {
        T start() throws IOException;
    }

    void closeSideBySide() {
        closeAll(traced, untraced);
        closeQuietly(fastModel);
    }

    @Override
    public void close() {
        closeAll(traced, untraced, slowStarting.handle((stack, failed) -> stack).join());
        closeQuietly(fastModel);
        closeQuietly(slowModel);
    }

    private static void closeAll(ServiceStack... stacks) {
        CompletableFuture.allOf(Arrays.stream(stacks).filter(Objects::nonNull)
                .map(stack -> CompletableFuture.runAsync(stack::close)).toArray(CompletableFuture[]::new)).join();
    }

    private static void closeQuietly(ModelServer model) {
        try {
            model.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
