package io.ctxprop.application.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.ctxprop.application.kafka.ChunkAssembler.Chunk;
import io.ctxprop.application.kafka.ChunkAssembler.Last;
import io.ctxprop.application.kafka.ChunkAssembler.Offer;
import io.ctxprop.application.kafka.ChunkAssembler.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order of a streamed answer's records, whatever order, repetition or nonsense they arrive in. */
class ChunkAssemblerTest {

    private final ChunkAssembler assembler = new ChunkAssembler();
    private final List<ChunkAssembler.Piece> released = new ArrayList<>();

    @Test
    void chunksInOrderAreReleasedAtOnceAndTheLastRecordCompletes() {
        assertThat(chunk(0, "a")).isEqualTo(Verdict.ACCEPTED);
        assertThat(released).containsExactly(new Chunk(0, "a"));
        chunk(1, "b");
        assertThat(assembler.complete()).isFalse();
        assertThat(last(2, "whole")).isEqualTo(Verdict.ACCEPTED);

        assertThat(released).containsExactly(new Chunk(0, "a"), new Chunk(1, "b"), new Last("whole"));
        assertThat(assembler.complete()).isTrue();
        assertThat(assembler.chunksReleased()).isEqualTo(2);
    }

    @Test
    void anAnswerWithoutChunksIsItsLastRecord() {
        last(0, "whole");

        assertThat(released).containsExactly(new Last("whole"));
        assertThat(assembler.complete()).isTrue();
    }

    @Test
    void anEarlyChunkIsHeldUntilTheGapBeforeItFills() {
        chunk(0, "a");
        assertThat(chunk(2, "c")).isEqualTo(Verdict.ACCEPTED);
        assertThat(last(3, "whole")).isEqualTo(Verdict.ACCEPTED);
        assertThat(released).containsExactly(new Chunk(0, "a"));
        assertThat(assembler.missing()).isEqualTo("chunk 1 of 3");

        chunk(1, "b");

        assertThat(released).containsExactly(new Chunk(0, "a"), new Chunk(1, "b"), new Chunk(2, "c"), new Last("whole"));
        assertThat(assembler.complete()).isTrue();
    }

    @Test
    void everythingBackwardsStillComesOutInOrder() {
        last(3, "whole");
        chunk(2, "c");
        chunk(1, "b");
        assertThat(released).isEmpty();
        assertThat(assembler.missing()).isEqualTo("chunk 0 of 3");

        chunk(0, "a");

        assertThat(released).containsExactly(new Chunk(0, "a"), new Chunk(1, "b"), new Chunk(2, "c"), new Last("whole"));
    }

    @Test
    void repeatedRecordsAreDuplicatesWhetherReleasedHeldOrAfterTheEnd() {
        chunk(0, "a");
        chunk(2, "c");
        assertThat(chunk(0, "a")).as("released before").isEqualTo(Verdict.DUPLICATE);
        assertThat(chunk(2, "c")).as("held").isEqualTo(Verdict.DUPLICATE);
        chunk(1, "b");
        last(3, "whole");
        assertThat(chunk(1, "b")).as("after the end").isEqualTo(Verdict.DUPLICATE);
        assertThat(last(3, "whole")).as("the last record again").isEqualTo(Verdict.DUPLICATE);

        assertThat(released).containsExactly(new Chunk(0, "a"), new Chunk(1, "b"), new Chunk(2, "c"), new Last("whole"));
    }

    @Test
    void recordsThatCannotBelongToTheStreamAreInvalidAndChangeNothing() {
        chunk(0, "a");
        assertThat(chunk(-1, "x")).isEqualTo(Verdict.INVALID);
        assertThat(chunk(ChunkAssembler.MAX_AHEAD + 1, "far ahead")).isEqualTo(Verdict.INVALID);
        assertThat(chunk(Integer.MAX_VALUE, "far ahead")).isEqualTo(Verdict.INVALID);
        chunk(5, "f");
        assertThat(assembler.missing()).isEqualTo("chunk 1 (or the last record)");
        assertThat(last(6, "whole")).isEqualTo(Verdict.ACCEPTED);
        assertThat(last(7, "whole")).as("a second last record with another count").isEqualTo(Verdict.INVALID);
        assertThat(last(6, "another whole")).as("a second last record with another answer").isEqualTo(Verdict.CONFLICTING);
        assertThat(chunk(6, "past the count")).isEqualTo(Verdict.INVALID);

        assertThat(released).containsExactly(new Chunk(0, "a"));
        assertThat(assembler.complete()).isFalse();
    }

    @Test
    void aLastRecordCountingFewerChunksThanCameEndsTheStreamWithItsWholeAnswer() {
        // gateway A sent chunks 0-3 and died; gateway B answered the redelivered request in two chunks
        chunk(0, "a0");
        chunk(1, "a1");
        chunk(2, "a2");
        chunk(3, "a3");
        assertThat(chunk(0, "b0")).isEqualTo(Verdict.DUPLICATE);
        assertThat(chunk(1, "b1")).isEqualTo(Verdict.DUPLICATE);

        assertThat(last(2, "B's whole answer")).isEqualTo(Verdict.ACCEPTED);

        assertThat(assembler.complete()).isTrue();
        assertThat(released.getLast()).isEqualTo(new Last("B's whole answer"));
    }

    @Test
    void chunksHeldPastTheLastRecordsCountAreDroppedAndItsOwnAreAwaited() {
        chunk(0, "a0");
        chunk(5, "of a longer answer");

        assertThat(last(3, "whole")).isEqualTo(Verdict.ACCEPTED);
        assertThat(assembler.missing()).isEqualTo("chunk 1 of 3");
        chunk(1, "b1");
        chunk(2, "b2");

        assertThat(assembler.complete()).isTrue();
        assertThat(released).containsExactly(new Chunk(0, "a0"), new Chunk(1, "b1"), new Chunk(2, "b2"), new Last("whole"));
    }

    @Test
    void untilTheLastRecordComesEitherItOrTheNextChunkIsMissing() {
        chunk(0, "a");

        assertThat(assembler.missing()).isEqualTo("chunk 1 (or the last record)");
        last(1, "whole");
        assertThat(assembler.complete()).isTrue();
    }

    private Verdict chunk(int seq, String value) {
        return keep(assembler.chunk(seq, value));
    }

    private Verdict last(int chunks, String value) {
        return keep(assembler.last(chunks, value));
    }

    private Verdict keep(Offer offer) {
        released.addAll(offer.released());
        return offer.verdict();
    }
}
