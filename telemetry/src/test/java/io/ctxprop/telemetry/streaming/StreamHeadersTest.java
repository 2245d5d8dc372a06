package io.ctxprop.telemetry.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class StreamHeadersTest {

    @Test
    void aSequenceNumberIsReadBackAsWritten() {
        var headers = new RecordHeaders();
        StreamHeaders.setSeq(headers, 0);
        assertThat(StreamHeaders.seq(headers)).isZero();
        StreamHeaders.setSeq(headers, 2_147_483_647);
        assertThat(StreamHeaders.seq(headers)).isEqualTo(Integer.MAX_VALUE);
        assertThat(headers.headers(StreamHeaders.CHUNK_SEQ)).hasSize(1);
    }

    @Test
    void hostileSequenceNumbersAreNotNumbers() {
        for (String hostile : new String[] {"", "-1", "+1", " 1", "1e3", "2147483648", "99999999999", "１", "0x10"}) {
            var headers = new RecordHeaders();
            headers.add(StreamHeaders.CHUNK_SEQ, hostile.getBytes(StandardCharsets.UTF_8));
            assertThat(StreamHeaders.seq(headers)).as(hostile).isEqualTo(-1);
        }
        var nullValue = new RecordHeaders();
        nullValue.add(StreamHeaders.CHUNK_SEQ, null);
        assertThat(StreamHeaders.seq(nullValue)).isEqualTo(-1);
        assertThat(StreamHeaders.seq(new RecordHeaders())).isEqualTo(-1);
    }

    @Test
    void flagsAreTrueOnlyForTheTextTrue() {
        var headers = new RecordHeaders();
        assertThat(StreamHeaders.isSet(headers, StreamHeaders.STREAM)).isFalse();
        headers.add(StreamHeaders.STREAM, "yes".getBytes(StandardCharsets.UTF_8));
        assertThat(StreamHeaders.isSet(headers, StreamHeaders.STREAM)).isFalse();
        headers.add(StreamHeaders.STREAM, " TRUE ".getBytes(StandardCharsets.UTF_8));
        assertThat(StreamHeaders.isSet(headers, StreamHeaders.STREAM)).isTrue();
        StreamHeaders.set(headers, StreamHeaders.LAST);
        assertThat(StreamHeaders.isSet(headers, StreamHeaders.LAST)).isTrue();
        headers.add(StreamHeaders.CANCEL, null);
        assertThat(StreamHeaders.isSet(headers, StreamHeaders.CANCEL)).isFalse();
    }
}
