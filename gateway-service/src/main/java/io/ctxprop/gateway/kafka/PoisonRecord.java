package io.ctxprop.gateway.kafka;

/** Thrown by {@link RequestReader} for a record that goes to the dead-letter topic instead of the model. */
final class PoisonRecord extends RuntimeException {

    private final PoisonReason reason;

    PoisonRecord(PoisonReason reason, String detail) {
        super(reason.sentence() + (detail == null ? "" : " " + detail), null, false, false);
        this.reason = reason;
    }

    PoisonReason reason() {
        return reason;
    }
}
