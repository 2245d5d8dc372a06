package io.ctxprop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.util.stream.IntStream;
import org.junit.jupiter.api.RepeatedTest;

class PortsTest {

    @RepeatedTest(20)
    void aBlockIsFreeAndBelowTheEphemeralRange() throws Exception {
        int first = Ports.freeBlock(6);

        assertThat(first).isGreaterThanOrEqualTo(1_024);
        assertThat(first + 6).isLessThanOrEqualTo(Ports.ephemeralRangeStart());
        IntStream.range(first, first + 6).forEach(port -> assertThat(Ports.listening(port)).as("port %d is free", port).isFalse());
        try (var taken = new ServerSocket(first)) {
            assertThat(Ports.listening(first)).isTrue();
        }
    }
}
