package io.ctxprop.telemetry.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.FilterChain;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The bearer check and the read rule, request by request: who gets through and what the others are told. */
class AccessFiltersTest {

    private static final String KEY = "the-key-7c1e";

    @Test
    void aBearerKeyAdmitsOnlyItself() {
        BearerKey key = BearerKey.of(KEY).orElseThrow();

        assertThat(key.admits(request("Bearer " + KEY))).isTrue();
        assertThat(key.admits(request("bearer  " + KEY + " "))).as("scheme case and spaces, as RFC 6750 allows").isTrue();
        for (String wrong : new String[] {null, "", "Bearer", "Bearer ", "Bearer " + KEY + "x", "Bearer " + KEY.substring(1), "Token " + KEY,
                KEY, "Basic " + basic("user", KEY)}) {
            assertThat(key.admits(request(wrong))).as(String.valueOf(wrong)).isFalse();
        }
        assertThat(key.admitsBearerOrBasic(request("Basic " + basic("anyone", KEY)))).isTrue();
        assertThat(key.admitsBearerOrBasic(request("Basic " + basic("anyone", "nope")))).isFalse();
        assertThat(key.admitsBearerOrBasic(request("Basic !!not-base64"))).isFalse();
        assertThat(key.toString()).doesNotContain(KEY);
        assertThat(BearerKey.of("  ")).isEmpty();
        assertThat(BearerKey.of(null)).isEmpty();
    }

    @Test
    void theBearerFilterAnswers401WithAChallenge() throws Exception {
        var filter = new BearerKeyFilter(BearerKey.of(KEY).orElseThrow(), "gateway", "GATEWAY_API_KEY");

        var refused = run(filter, request("Bearer nope"));
        assertThat(refused.response.getStatus()).isEqualTo(401);
        assertThat(refused.response.getHeader("WWW-Authenticate")).isEqualTo("Bearer realm=\"gateway\"");
        assertThat(refused.response.getContentType()).isEqualTo("application/problem+json");
        assertThat(refused.response.getContentAsString()).contains("GATEWAY_API_KEY").doesNotContain(KEY);
        assertThat(refused.passed).isFalse();
        assertThat(run(filter, request("Bearer " + KEY)).passed).isTrue();
    }

    @Test
    void onLoopbackThePagesAreOpenBeyondItTheyNeedTheReadKey() throws Exception {
        Optional<BearerKey> key = BearerKey.of(KEY);
        assertThat(run(new ReadAccessFilter(new ReadAccess(true, false, Optional.empty()), r -> false), request(null)).passed).isTrue();

        var beyond = new ReadAccessFilter(new ReadAccess(true, true, key), r -> false);
        var refused = run(beyond, request(null));
        assertThat(refused.response.getStatus()).isEqualTo(401);
        assertThat(refused.response.getHeader("WWW-Authenticate")).contains("Bearer").contains("Basic");
        assertThat(run(beyond, request("Bearer wrong")).response.getStatus()).isEqualTo(401);
        assertThat(run(beyond, request("Bearer " + KEY)).passed).isTrue();
        assertThat(run(beyond, request("Basic " + basic("me", KEY))).passed).as("a browser's own dialog").isTrue();

        var noKey = run(new ReadAccessFilter(new ReadAccess(true, true, Optional.empty()), r -> false), request("Bearer " + KEY));
        assertThat(noKey.response.getStatus()).isEqualTo(403);
        assertThat(noKey.response.getContentAsString()).contains("INSPECTOR_READ_KEY");
    }

    @Test
    void switchedOffThePagesAreGoneEvenOnLoopbackButTheCallersOwnStays() throws Exception {
        var off = new ReadAccessFilter(new ReadAccess(false, false, BearerKey.of(KEY)), r -> r.getRequestURI().endsWith("/embed"));

        assertThat(run(off, request("Bearer " + KEY)).response.getStatus()).isEqualTo(404);
        var own = request(null);
        own.setRequestURI("/traces/abc/embed");
        var ran = run(off, own);
        assertThat(ran.passed).isTrue();
        assertThat(own.getAttribute(ReadAccessFilter.OWN_ONLY)).isEqualTo(Boolean.TRUE);
    }

    @Test
    void loopbackIsTheAddressNotTheName() {
        assertThat(new ListenAddress("127.0.0.1").beyondLoopback()).isFalse();
        assertThat(new ListenAddress("::1").beyondLoopback()).isFalse();
        assertThat(new ListenAddress("localhost").beyondLoopback()).isFalse();
        assertThat(new ListenAddress("0.0.0.0").beyondLoopback()).isTrue();
        assertThat(new ListenAddress("::").beyondLoopback()).isTrue();
        assertThat(new ListenAddress("").beyondLoopback()).as("unset: every interface").isTrue();
        assertThat(new ListenAddress("192.0.2.7").beyondLoopback()).isTrue();
        assertThat(ListenAddress.of(new MockEnvironment().withProperty("server.address", "127.0.0.1")).beyondLoopback()).isFalse();
        assertThat(ReadAccess.of(new MockEnvironment().withProperty("server.address", "0.0.0.0")
                .withProperty("inspector.enabled", "false"))).isEqualTo(new ReadAccess(false, true, Optional.empty()));
    }

    private record Ran(MockHttpServletResponse response, boolean passed) {
    }

    private static Ran run(jakarta.servlet.Filter filter, MockHttpServletRequest request) throws Exception {
        var response = new MockHttpServletResponse();
        AtomicBoolean passed = new AtomicBoolean();
        FilterChain chain = (req, res) -> passed.set(true);
        filter.doFilter(request, response, chain);
        return new Ran(response, passed.get());
    }

    private static MockHttpServletRequest request(String authorization) {
        var request = new MockHttpServletRequest("GET", "/traces");
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        return request;
    }

    private static String basic(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
