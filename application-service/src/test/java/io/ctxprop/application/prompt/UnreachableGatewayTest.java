package io.ctxprop.application.prompt;

import static io.ctxprop.telemetry.testing.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Nothing listens at GATEWAY_URL: the caller gets a 502 problem with the trace id, at once. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UnreachableGatewayTest {

    @DynamicPropertySource
    static void gatewayNobodyListensOn(DynamicPropertyRegistry registry) throws Exception {
        int freePort;
        try (var socket = new ServerSocket(0)) {
            freePort = socket.getLocalPort();
        }
        registry.add("gateway.url", () -> "http://127.0.0.1:" + freePort + "/process");
    }

    @Value("${local.server.port}")
    int port;

    @Test
    void anUnreachableGatewayIsA502() throws Exception {
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/ask"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"hello?\"}")).build(), HttpResponse.BodyHandlers.ofString());

        assertProblem(response, 502, "Gateway unreachable");
        assertThat(response.body()).contains("could not be reached");
    }
}
