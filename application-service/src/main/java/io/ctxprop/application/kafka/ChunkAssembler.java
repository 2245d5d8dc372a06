package io.ctxprop.application.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Puts the reply records of one streamed answer back in order: chunk {@code seq} 0, 1, 2, ... and then
 * the last record, which says how many chunks came before it. A chunk seen before is a duplicate (an
 * at-least-once redelivery); one that arrives early is held until the gap before it fills; a record
 * that cannot belong to the stream (a chunk past the last record's count or far ahead of the next
 * expected one, a second last record with another count) is invalid, and a second last record with
 * another answer is conflicting (forged, or the model answered a redelivery differently). The first last record is believed:
 * it carries the whole answer, so a stream whose request was answered twice, differently, still ends
 * with one whole answer. Not thread-safe: its owner locks.
 */
final class ChunkAssembler {

    /** How far past the next expected chunk a record is held: a hostile sequence number cannot fill the memory. */
    static final int MAX_AHEAD = 10_000;

    /** What the owner hands on, in order. */
    sealed interface Piece permits Chunk, Last {
    }

    /** A chunk record's value, with its sequence number. */
    record Chunk(int seq, String value) implements Piece {
    }

    /** The last record's value: the whole answer or the error. */
    record Last(String value) implements Piece {
    }

    /** {@code LATE}: the stream's wait was already over (its owner says so; the assembler never does). */
    enum Verdict { ACCEPTED, DUPLICATE, INVALID, CONFLICTING, LATE }

    /** @param released the pieces that are now in order, possibly none (the record is held, or was dropped) */
    record Offer(Verdict verdict, List<Piece> released) {
    }

    private final TreeMap<Integer, String> held = new TreeMap<>();
    private int next;
    private int chunkCount = -1;
    private String lastValue;
    private boolean complete;

    Offer chunk(int seq, String value) {
        if (seq >= 0 && (seq < next || held.containsKey(seq))) {
            return dropped(Verdict.DUPLICATE);
        }
        if (seq < 0 || seq - next >= MAX_AHEAD || (chunkCount >= 0 && seq >= chunkCount)) {
            return dropped(Verdict.INVALID);
        }
        held.put(seq, value);
        return new Offer(Verdict.ACCEPTED, release());
    }

    /** @param chunks the last record's count of chunks before it */
    Offer last(int chunks, String value) {
        if (lastValue != null) {
            if (!Objects.equals(value, lastValue)) {
                return dropped(Verdict.CONFLICTING);
            }
            return dropped(chunks == chunkCount ? Verdict.DUPLICATE : Verdict.INVALID);
        }
        // More chunks than it counts have come: a redelivered request answered a second time, and a model
        // need not answer the same way twice. The last record holds the whole answer and is the one kept;
        // the other answer's extra chunks are dropped.
        held.tailMap(chunks, true).clear();
        chunkCount = Math.max(chunks, next);
        lastValue = value;
        return new Offer(Verdict.ACCEPTED, release());
    }

    /** True once every chunk and the last record have been released. */
    boolean complete() {
        return complete;
    }

    /** Chunks released so far. */
    int chunksReleased() {
        return next;
    }

    /** What the stream waits for: the next chunk in order, or the last record. */
    String missing() {
        if (chunkCount >= 0 && next < chunkCount) {
            return "chunk " + next + " of " + chunkCount;
        }
        if (chunkCount >= 0) {
            return "the last record";
        }
        return "chunk " + next + " (or the last record)";
    }

    private List<Piece> release() {
        List<Piece> released = new ArrayList<>(1);
        for (String value = held.remove(next); value != null; value = held.remove(next)) {
            released.add(new Chunk(next, value));
            next++;
        }
        if (lastValue != null && next == chunkCount && !complete) {
            released.add(new Last(lastValue));
            complete = true;
        }
        return released;
    }

    private static Offer dropped(Verdict verdict) {
        return new Offer(verdict, List.of());
    }
}
