package io.ctxprop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileInputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.stream.IntStream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class PortsTest {

    @RepeatedTest(20)
    void aBlockIsFreeAndBelowTheEphemeralRange() throws Exception {
        int first = Ports.freeBlock(6, 32_768);

        assertThat(first).isGreaterThanOrEqualTo(10_000);
        assertThat(first + 6).isLessThanOrEqualTo(32_768);
        IntStream.range(first, first + 6).forEach(port -> assertThat(Ports.listening(port)).as("port %d is free", port).isFalse());
        try (var taken = new ServerSocket(first)) {
            assertThat(Ports.listening(first)).isTrue();
        }
    }

    @RepeatedTest(20)
    void aRangeStartingLowLeavesTheBlockBetweenTenAndThirtyThousand() throws Exception {
        assertThat(Ports.freeBlock(6, 20_000)).isBetween(10_000, 20_000 - 6);
        assertThat(Ports.freeBlock(6, 1_024)).isBetween(10_000, 30_000 - 6);
    }

    @Test
    void theRangeIsTheKernels() throws Exception {
        String range;
        try (var file = new FileInputStream("/proc/sys/net/ipv4/ip_local_port_range")) {
            range = new String(file.readAllBytes(), StandardCharsets.US_ASCII);
        }

        assertThat(Ports.ephemeralRangeStart()).isEqualTo(Integer.parseInt(range.strip().split("\\s+")[0]));
    }
}
