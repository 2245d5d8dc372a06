package io.ctxprop.application.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * DNS rebinding: the application on loopback (its default), asked by a browser for a web site's name
 * that now resolves to 127.0.0.1. Requests whose {@code Host} is not a loopback name are refused
 * (421), whatever the path; the loopback names are answered; health probes stay open. Sent over a raw
 * socket, since the JDK's client will not send a {@code Host} of the caller's choosing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "inspector.form-wait=10ms")
class DnsRebindingTest {

    private static final String EVIL = "evil.example";
    private static final String TRACE = "7171717171717171717171717171abcd";

    @Value("${local.server.port}")
    int port;

    @Test
    void aRequestForAnotherHostNameIsRefused() throws Exception {
        for (String host : List.of(EVIL, EVIL + ":" + port, "127.0.0.1.nip.io:" + port, "localhost.evil.example", "127.0.0.2:" + port)) {
            for (String path : List.of("/traces", "/traces/" + TRACE + "/embed", "/", "/v1/traces")) {
                String answer = request("GET", path, host, "");
                assertThat(statusOf(answer)).as(host + path).isEqualTo(421);
                assertThat(answer).as(host + path).contains("application/problem+json").contains("Misdirected Request");
            }
            assertThat(statusOf(request("POST", "/api/ask", host, "{\"text\":\"read my traces\"}"))).as(host + " /api/ask").isEqualTo(421);
        }
    }

    @Test
    void theLoopbackNamesAreAnswered() throws Exception {
        for (String host : List.of("localhost:" + port, "LOCALHOST", "127.0.0.1:" + port, "[::1]:" + port, "[0:0:0:0:0:0:0:1]")) {
            assertThat(statusOf(request("GET", "/traces", host, ""))).as(host).isEqualTo(200);
        }
        assertThat(statusOf(request("POST", "/api/ask", "localhost:" + port, "{\"text\":\"\"}"))).as("reaches the controller").isEqualTo(400);
    }

    @Test
    void healthProbesStayOpen() throws Exception {
        assertThat(statusOf(request("GET", "/actuator/health/readiness", EVIL, ""))).isEqualTo(200);
    }

    private String request(String method, String path, String host, String body) throws IOException {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: */*\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + content.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int statusOf(String answer) {
        return Integer.parseInt(answer.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
    }
}
