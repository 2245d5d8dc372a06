package io.ctxprop.systemtests;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
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

    /** The first of {@code count} consecutive free ports (a three-node cluster takes six). */
    static int freeBlock(int count) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int first = 30_000 + 2 * ThreadLocalRandom.current().nextInt(10_000);
            if (IntStream.range(first, first + count).allMatch(Ports::bindable)) {
                return first;
            }
        }
        throw new IOException("no " + count + " consecutive free ports found");
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
