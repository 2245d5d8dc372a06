package io.ctxprop.application.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.requestreply.CorrelationKey;
import org.springframework.kafka.requestreply.KafkaReplyTimeoutException;
import org.springframework.kafka.requestreply.RequestReplyFuture;

/**
 * A reply that arrives just as its request times out is counted exactly once, as late, never as a
 * duplicate. Spring's reply timeout first takes the request from its waiting list, then tells the
 * template ({@code handleTimeout}); a reply can come in between, and is then driven here in both
 * orders and concurrently, many times.
 */
class ReplyRaceTest {

    static final int ROUNDS = 300;
    static final AttributeKey<String> REPLY_OUTCOME = AttributeKey.stringKey("reply.outcome");

    private final ReplyTemplateFixture fixture = new ReplyTemplateFixture();
    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @AfterEach
    void close() {
        threads.shutdownNow();
        fixture.close();
    }

    @Test
    void aReplyBeforeTheTimeoutIsMarkedIsLate() {
        String id = takenByTheTimeout();

        fixture.template.onMessage(List.of(fixture.reply(id, null)));
        markTimedOut(id);

        assertCountedOnceAsLate(1);
    }

    @Test
    void aReplyAfterTheTimeoutIsMarkedIsLate() {
        String id = takenByTheTimeout();

        markTimedOut(id);
        fixture.template.onMessage(List.of(fixture.reply(id, null)));

        assertCountedOnceAsLate(1);
    }

    @Test
    void aReplyRacingTheTimeoutsMarkIsLateEveryTime() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            String id = takenByTheTimeout();
            var reply = fixture.reply(id, null);

            race(() -> markTimedOut(id), () -> fixture.template.onMessage(List.of(reply)));

            assertCountedOnceAsLate(round);
        }
    }

    /**
     * The whole of Spring's timeout against the reply: whichever takes the request decides, and the
     * counters agree with what the caller got: an answer and no count, or a timeout and one late reply.
     */
    @Test
    void aReplyRacingTheWholeTimeoutEndsOneWayOnly() throws Exception {
        long late = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            String id = UUID.randomUUID().toString();
            RequestReplyFuture<String, String, String> request = fixture.send(id, Context.root(), false);
            Runnable timeout = fixture.nextTimeout();
            var reply = fixture.reply(id, null);

            race(timeout, () -> fixture.template.onMessage(List.of(reply)));

            boolean timedOut = timedOut(request);
            late += timedOut ? 1 : 0;
            assertThat(fixture.lateReplies()).as("round %d", round).isEqualTo(late);
            assertThat(fixture.duplicateReplies()).as("round %d", round).isZero();
            assertThat(lastSpan().getAttributes().get(REPLY_OUTCOME)).as("round %d", round).isEqualTo(timedOut ? "late" : "completed");
        }
    }

    /** A request sent whose reply timeout has taken it from Spring's waiting list but not yet told the template. */
    private String takenByTheTimeout() {
        String id = UUID.randomUUID().toString();
        fixture.ledger.sent(id, Context.root(), false);
        return id;
    }

    /** The rest of Spring's timeout: what it calls once the request is off its list. */
    private void markTimedOut(String id) {
        fixture.template.handleTimeout(new CorrelationKey(id.getBytes(StandardCharsets.UTF_8)), new RequestReplyFuture<>());
    }

    private void assertCountedOnceAsLate(long lateSoFar) {
        assertThat(fixture.lateReplies()).isEqualTo(lateSoFar);
        assertThat(fixture.duplicateReplies()).isZero();
        assertThat(lastSpan().getAttributes().get(REPLY_OUTCOME)).isEqualTo("late");
    }

    private SpanData lastSpan() {
        return fixture.finishedSpans().getLast();
    }

    /** Runs both at once: two threads released together by a barrier, both awaited. */
    private void race(Runnable first, Runnable second) throws Exception {
        var start = new CyclicBarrier(2);
        Future<?> one = threads.submit(() -> {
            start.await();
            first.run();
            return null;
        });
        Future<?> other = threads.submit(() -> {
            start.await();
            second.run();
            return null;
        });
        one.get(10, TimeUnit.SECONDS);
        other.get(10, TimeUnit.SECONDS);
    }

    private static boolean timedOut(RequestReplyFuture<String, String, String> request) throws Exception {
        assertThat(request).isDone();
        try {
            request.get();
            return false;
        } catch (ExecutionException failure) {
            assertThat(failure).hasCauseInstanceOf(KafkaReplyTimeoutException.class);
            return true;
        }
    }
}
