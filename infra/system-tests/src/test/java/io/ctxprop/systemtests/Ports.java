package io.ctxprop.systemtests;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

/** Local ports: a free one to give a process, and whether something listens on one. */
final class Ports {

    private Ports() {
    }

    static int free() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * The first of {@code count} consecutive free ports (a three-node cluster takes six), below the kernel's
     * ephemeral range: the brokers bind them seconds later, and in that range an outgoing connection (the
     * nodes' own, dialling each other while they start) could take one first.
     */
    static int freeBlock(int count) throws IOException {
        return freeBlock(count, ephemeralRangeStart());
    }

    static int freeBlock(int count, int ephemeral) throws IOException {
        int below = ephemeral > 12_000 ? ephemeral - count : 30_000; // a range starting that low leaves no room under it
        for (int attempt = 0; attempt < 100; attempt++) {
            int first = 10_000 + 2 * ThreadLocalRandom.current().nextInt((below - 10_000) / 2);
            if (IntStream.range(first, first + count).allMatch(Ports::bindable)) {
                return first;
            }
        }
        throw new IOException("no " + count + " consecutive free ports found");
    }

    /** The first port the kernel hands to outgoing connections (Linux; 32768 where it cannot be read). */
    static int ephemeralRangeStart() {
        try {
            // readAllLines: Files.readString gave only the first character of this /proc file (JDK 17 and 25)
            return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).getFirst().trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException unreadable) {
            return 32_768;
        }
    }

    private static boolean bindable(int port) {
        try (var socket = new ServerSocket(port)) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    static boolean listening(int port) {
        try (var ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
