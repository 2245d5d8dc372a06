package io.ctxprop.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/**
 * The window rule on a clock the test moves: the first piece at once, one record per window with a
 * fast model, one per piece with a slow one, no text held past its window, nothing lost or reordered.
 */
class ChunkWindowTest {

    static final long MS = 1_000_000L;

    /** A clock and a timer the test moves by hand; a due task runs when the clock passes its time. */
    static final class ManualTime implements ChunkWindow.Timer {
        long now;
        final List<Object[]> tasks = new ArrayList<>(); // {due, task, future}
        int scheduledCount;

        @Override
        public Future<?> schedule(Runnable task, long delayNanos) {
            assertThat(delayNanos).as("a window's remaining time").isPositive();
            var future = new CompletableFuture<Void>();
            tasks.add(new Object[] {now + delayNanos, task, future});
            scheduledCount++;
            return future;
        }

        void advanceTo(long time) {
            while (true) {
                Object[] due = tasks.stream().filter(entry -> (long) entry[0] <= time)
                        .min((a, b) -> Long.compare((long) a[0], (long) b[0])).orElse(null);
                if (due == null) {
                    break;
                }
                tasks.remove(due);
                now = (long) due[0];
                if (!((CompletableFuture<?>) due[2]).isCancelled()) {
                    ((Runnable) due[1]).run();
                }
            }
            now = time;
        }

        long live() {
            return tasks.stream().filter(entry -> !((CompletableFuture<?>) entry[2]).isCancelled()).count();
        }
    }

    /** A chunk record as sent: its text and the clock when it went. */
    record Sent(String text, long at) {
    }

    final ManualTime time = new ManualTime();
    final List<Sent> sent = new ArrayList<>();

    ChunkWindow window(Duration length) {
        return new ChunkWindow(length, time, () -> time.now, text -> sent.add(new Sent(text, time.now)));
    }

    @Test
    void theFirstPieceGoesAtOnceWithoutWaitingForTheWindow() {
        var window = window(Duration.ofMillis(15));

        window.piece("Hel");

        assertThat(sent).containsExactly(new Sent("Hel", 0));
        assertThat(time.scheduledCount).as("no timer for the first piece").isZero();
    }

    @Test
    void aFastModelGetsOneRecordPerWindowAndTheTextIsExact() {
        var window = window(Duration.ofMillis(15));
        StringBuilder written = new StringBuilder();
        List<Long> writtenAt = new ArrayList<>();
        for (int token = 0; token < 500; token++) { // 1 ms per token, 500 tokens
            time.advanceTo(token * MS);
            String piece = "t" + token + " ";
            written.append(piece);
            writtenAt.add(time.now);
            window.piece(piece);
        }
        window.close();

        assertThat(String.join("", sent.stream().map(Sent::text).toList())).isEqualTo(written.toString());
        assertThat(sent).as("records for 500 pieces in 500 ms with a 15 ms window").hasSizeBetween(30, 40);
        assertThat(sent.getFirst()).isEqualTo(new Sent("t0 ", 0));
        for (int i = 1; i < sent.size() - 1; i++) {
            assertThat(sent.get(i).at() - sent.get(i - 1).at()).as("one record per window").isGreaterThanOrEqualTo(15 * MS);
        }
        // no piece waited longer than one window: the record that carried a piece's last character went at most 15 ms after it
        int[] pieceEnds = new int[500];
        int offset = 0;
        for (int token = 0; token < 500; token++) {
            offset += ("t" + token + " ").length();
            pieceEnds[token] = offset;
        }
        int carried = 0;
        int record = 0;
        for (int token = 0; token < 500; token++) {
            while (carried < pieceEnds[token]) {
                carried += sent.get(record++).text().length();
            }
            long wentAt = sent.get(record - 1).at();
            assertThat(wentAt - writtenAt.get(token)).as("piece " + token + " held").isBetween(0L, 15 * MS);
        }
    }

    @Test
    void aSlowModelGetsOneRecordPerPieceEachAtOnce() {
        var window = window(Duration.ofMillis(15));
        for (int token = 0; token < 20; token++) {
            time.advanceTo(token * 40 * MS);
            window.piece("p" + token);
        }
        window.close();

        assertThat(sent).hasSize(20);
        for (int token = 0; token < 20; token++) {
            assertThat(sent.get(token)).isEqualTo(new Sent("p" + token, token * 40 * MS));
        }
        assertThat(time.scheduledCount).as("no piece waited").isZero();
    }

    @Test
    void textHeldAfterABurstGoesWhenItsWindowEndsNotWithTheNextPiece() {
        var window = window(Duration.ofMillis(15));
        window.piece("a");
        time.advanceTo(2 * MS);
        window.piece("b");
        time.advanceTo(3 * MS);
        window.piece("c");
        assertThat(sent).extracting(Sent::text).containsExactly("a");

        time.advanceTo(1_000 * MS); // the model pauses for a second

        assertThat(sent).containsExactly(new Sent("a", 0), new Sent("bc", 15 * MS));
        time.advanceTo(1_001 * MS);
        window.piece("d");
        assertThat(sent.getLast()).as("after a quiet window, at once").isEqualTo(new Sent("d", 1_001 * MS));
    }

    @Test
    void aLateTimerDoesNotHoldTextPastTheWindowNorSendItTwice() {
        var window = window(Duration.ofMillis(15));
        window.piece("a");
        time.now = 5 * MS;
        window.piece("b");
        time.now = 40 * MS; // the timer thread is late: the window ended 25 ms ago and its task has not run

        window.piece("c");

        assertThat(sent).containsExactly(new Sent("a", 0), new Sent("bc", 40 * MS));
        assertThat(time.live()).as("the late task was cancelled").isZero();
        time.advanceTo(100 * MS);
        assertThat(sent).hasSize(2);
    }

    @Test
    void aZeroWindowSendsEveryPieceAsItsOwnRecord() {
        var window = window(Duration.ZERO);
        for (String piece : List.of("a", "b", "c")) {
            window.piece(piece); // all at the same instant
        }

        assertThat(sent).extracting(Sent::text).containsExactly("a", "b", "c");
        assertThat(time.scheduledCount).isZero();
    }

    @Test
    void closingSendsWhatIsHeldAtOnceAndRefusesLaterPieces() {
        var window = window(Duration.ofMillis(15));
        window.piece("a");
        time.advanceTo(MS);
        window.piece("b");

        window.close();
        window.close();

        assertThat(sent).containsExactly(new Sent("a", 0), new Sent("b", MS));
        assertThat(time.live()).isZero();
        time.advanceTo(100 * MS);
        assertThat(sent).hasSize(2);
        assertThatThrownBy(() -> window.piece("late")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aTimerThatIsShutDownMeansNoWaiting() {
        var window = new ChunkWindow(Duration.ofMillis(15), (task, delay) -> {
            throw new RejectedExecutionException("shut down");
        }, () -> time.now, text -> sent.add(new Sent(text, time.now)));
        window.piece("a");
        time.now = MS;

        window.piece("b");

        assertThat(sent).extracting(Sent::text).containsExactly("a", "b");
    }
}
