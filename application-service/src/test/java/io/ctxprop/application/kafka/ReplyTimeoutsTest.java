package io.ctxprop.application.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.context.Context;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.requestreply.KafkaReplyTimeoutException;

/**
 * Each request's reply timeout leaves the scheduler's queue once the request has ended, instead of
 * holding the request's record until its time is up; a request without a reply still times out.
 */
class ReplyTimeoutsTest {

    private final ReplyTimeouts timeouts = ReplyTimeouts.started();
    private final ReplyTemplateFixture fixture = new ReplyTemplateFixture(timeouts);

    @AfterEach
    void close() {
        fixture.close();
        fixture.template.destroy();
    }

    @Test
    void aRequestsTimeoutLeavesTheQueueWhenItsReplyArrives() throws Exception {
        String answered = UUID.randomUUID().toString();
        String waiting = UUID.randomUUID().toString();
        var request = fixture.send(answered, Context.root(), true);
        fixture.send(waiting, Context.root(), true);
        assertThat(queued()).as("one timeout per request").isEqualTo(2);

        fixture.template.onMessage(List.of(fixture.reply(answered, null)));

        assertThat(request).succeedsWithin(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(queued()).as("the waiting request's only").isEqualTo(1));
    }

    @Test
    void aRequestWithoutAReplyStillTimesOutAndLeavesNothingQueued() {
        var request = fixture.send(UUID.randomUUID().toString(), Context.root(), true, Duration.ofMillis(200));

        assertThat(request).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(KafkaReplyTimeoutException.class);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(queued()).isZero());
    }

    @Test
    void aRequestGivenUpKeepsItsTimeoutWhichStillClearsSpringsEntry() {
        String id = UUID.randomUUID().toString();
        var request = fixture.send(id, Context.root(), true, Duration.ofMillis(200));

        // what KafkaGatewayClient does when the record could not be written
        request.cancel(true);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(timeouts.getScheduledThreadPoolExecutor().getCompletedTaskCount()).as("the timeout ran").isEqualTo(1));
        fixture.template.onMessage(List.of(fixture.reply(id, null)));
        assertThat(fixture.lateReplies()).as("a reply after it is late: Spring and the ledger both let the request go").isEqualTo(1);
    }

    @Test
    void theSchedulerStopsWithItsTemplate() {
        fixture.template.destroy();

        assertThat(timeouts.getScheduledThreadPoolExecutor().isShutdown()).isTrue();
    }

    private int queued() {
        return timeouts.getScheduledThreadPoolExecutor().getQueue().size();
    }
}
