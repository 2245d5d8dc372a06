package io.ctxprop.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {

    private static final Duration CALL_TIME = Duration.ofMillis(10);

    @Test
    void countsEveryRequestOnceAndOnlyTheWindowsInTheFigures() throws Exception {
        var made = new AtomicLong();
        // Each call takes at least 10 ms and ends OK, ERROR, TIMEOUT or throws, in turn.
        Call call = () -> {
            long n = made.incrementAndGet();
            answerAfter(CALL_TIME);
            return switch ((int) (n % 4)) {
                case 0 -> Outcome.OK;
                case 1 -> Outcome.ERROR;
                case 2 -> Outcome.TIMEOUT;
                default -> throw new IllegalStateException("a failing request");
            };
        };
        int clients = 8;
        var window = Duration.ofMillis(1500);
        List<Boolean> windowEvents = new ArrayList<>();

        LoadResult result = new LoadGenerator(clients, Duration.ofMillis(500), window).run(call, line -> { }, windowEvents::add);

        assertThat(result.issued()).as("every request made is counted once").isEqualTo(made.get());
        assertThat(result.ok() + result.errors() + result.timeouts() + result.outsideWindow()).isEqualTo(result.issued());
        assertThat(result.latencies().getTotalCount()).as("latencies are the successes'").isEqualTo(result.ok());
        assertThat(result.ok()).isPositive();
        assertThat(result.timeouts()).isPositive();
        assertThat(result.errors()).as("ERROR outcomes and exceptions").isGreaterThan(result.ok());
        assertThat(result.outsideWindow()).as("the warm-up's requests stay out of the figures").isPositive();
        // A client finishes at most window / 10 ms requests inside the window: more would mean the
        // warm-up or the tail leaked into it.
        long most = clients * (window.toMillis() / CALL_TIME.toMillis());
        assertThat(result.ok() + result.errors() + result.timeouts()).isLessThanOrEqualTo(most);
        assertThat(result.latencyMs(50)).isGreaterThanOrEqualTo(CALL_TIME.toMillis());
        assertThat(result.throughput()).isEqualTo(result.ok() / 1.5);
        assertThat(windowEvents).containsExactly(true, false);
    }

    @Test
    void streamedAnswersGiveTheirFirstChunkTimesAndChunksOfTheSuccessesOnly() throws Exception {
        var made = new AtomicLong();
        // Every answer takes 10 ms, its first chunk came after 3 ms, 5 chunks; every third one fails.
        StreamedCall call = () -> {
            long n = made.incrementAndGet();
            answerAfter(CALL_TIME);
            return n % 3 == 0 ? new Answer(Outcome.ERROR, 1_000_000, 99) : Answer.streamed(3_000_000, 5);
        };

        LoadResult result = new LoadGenerator(4, Duration.ofMillis(200), Duration.ofMillis(800))
                .runStreamed(call, line -> { }, opens -> { });

        assertThat(result.ok()).isPositive();
        assertThat(result.errors()).isPositive();
        assertThat(result.firstChunks().getTotalCount()).as("one first chunk per success").isEqualTo(result.ok());
        assertThat(result.chunks()).as("the successes' chunks only").isEqualTo(result.ok() * 5);
        assertThat(result.firstChunkMs(50)).isCloseTo(3.0, within(0.01));
        assertThat(result.firstChunkMs(99)).isCloseTo(3.0, within(0.01));
        assertThat(result.latencyMs(50)).isGreaterThanOrEqualTo(CALL_TIME.toMillis());
    }

    @Test
    void answersThatAreNotStreamedHaveNoFirstChunk() throws Exception {
        Call call = () -> Outcome.OK;

        LoadResult result = new LoadGenerator(2, Duration.ZERO, Duration.ofMillis(200)).run(call, line -> { }, opens -> { });

        assertThat(result.ok()).isPositive();
        assertThat(result.firstChunkMs(50)).isNaN();
        assertThat(result.chunks()).isZero();
    }

    @Test
    void aClientWaitsForItsAnswerBeforeTheNextRequest() throws Exception {
        var open = new AtomicLong();
        var mostOpen = new AtomicLong();
        Call call = () -> {
            mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            answerAfter(Duration.ofMillis(2));
            open.decrementAndGet();
            return Outcome.OK;
        };

        new LoadGenerator(5, Duration.ofMillis(100), Duration.ofMillis(400)).run(call, line -> { }, opens -> { });

        assertThat(mostOpen.get()).as("closed loop: never more requests open than clients").isLessThanOrEqualTo(5);
    }

    @Test
    void pacedClientsOfferTheRateAndNotWhatTheSubjectCouldTake() throws Exception {
        // An instant subject: unpaced, 4 clients would make tens of thousands of requests a second.
        Call call = () -> Outcome.OK;
        var window = Duration.ofSeconds(2);

        LoadResult result = new LoadGenerator(4, Duration.ofMillis(300), window, 200).run(call, line -> { }, opens -> { });

        assertThat(result.throughput()).as("200 requests a second offered, the subject answering at once")
                .isCloseTo(200, within(20.0));
    }

    @Test
    void aPacedClientBehindItsScheduleSkipsWhatItMissedInsteadOfBursting() throws Exception {
        // 2 clients, 100 requests a second together (a period of 20 ms each); the subject stalls for its first
        // 400 ms, then answers at once: a client catching up would fire its ~20 missed slots back to back
        long began = System.nanoTime();
        long stallEnds = began + TimeUnit.MILLISECONDS.toNanos(400);
        var starts = new java.util.concurrent.ConcurrentLinkedQueue<Long>();
        Call call = () -> {
            starts.add(System.nanoTime());
            long wait = stallEnds - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            return Outcome.OK;
        };

        new LoadGenerator(2, Duration.ZERO, Duration.ofMillis(1000), 100).run(call, line -> { }, opens -> { });

        long justAfter = starts.stream().filter(t -> t >= stallEnds && t < stallEnds + TimeUnit.MILLISECONDS.toNanos(60)).count();
        assertThat(justAfter).as("requests started in the 60 ms after the stall: at the rate (2 clients, 20 ms apart), not a burst")
                .isLessThanOrEqualTo(10);
        assertThat(starts.stream().filter(t -> t >= stallEnds).count()).as("and the rate resumed").isGreaterThan(30);
    }

    @Test
    void aScheduleOffsetsItsClientsAndStartsAfreshWhenMoreThanAPeriodLate() {
        // 4 clients, 100 requests a second: a period of 40 ms per client, the clients 10 ms apart
        var first = new LoadGenerator.Schedule(0, 0, 4, 100);
        var third = new LoadGenerator.Schedule(0, 2, 4, 100);
        assertThat(first.next()).isZero();
        assertThat(third.next()).isEqualTo(20_000_000L);

        third.take(20_000_000L);
        assertThat(third.next()).as("on time: the next slot a period on").isEqualTo(60_000_000L);
        third.take(90_000_000L);
        assertThat(third.next()).as("30 ms late, under a period: the slot kept, the client catches up").isEqualTo(100_000_000L);
        assertThat(third.skipped()).isZero();

        third.take(300_000_000L);
        assertThat(third.next()).as("160 ms late: afresh from now").isEqualTo(340_000_000L);
        assertThat(third.skipped()).as("the slots at 140, 180, 220 and 260 ms missed").isEqualTo(4);
    }

    @Test
    void aNegativeRateIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LoadGenerator(1, Duration.ZERO, Duration.ofSeconds(1), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A request the server answers after {@code serviceTime}: the client waits for the answer, as a real one does. */
    private static void answerAfter(Duration serviceTime) {
        CompletableFuture.runAsync(() -> { },
                CompletableFuture.delayedExecutor(serviceTime.toNanos(), TimeUnit.NANOSECONDS)).join();
    }
}
