package io.ctxprop.systemtests;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;

/** Local ports: a free one to give a process, and whether something listens on one. */
final class Ports {

    private Ports() {
    }

    static int free() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
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
