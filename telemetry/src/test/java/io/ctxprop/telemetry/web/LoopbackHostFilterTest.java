package io.ctxprop.telemetry.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The Host check name by name: the loopback names and the service's own address pass, any other name is a 421. */
class LoopbackHostFilterTest {

    @Test
    void onlyLoopbackNamesAndTheServersOwnAddressPass() throws Exception {
        var filter = new LoopbackHostFilter("::1");
        for (String name : new String[] {"localhost", "LocalHost", "127.0.0.1", "[::1]", "[::1]:5000", "localhost:5000", "[0:0:0:0:0:0:0:1]"}) {
            assertThat(passes(filter, name, "/traces")).as(name).isTrue();
        }
        for (String name : new String[] {"evil.example", "localhost.evil.example", "127.0.0.1.nip.io", "127.0.0.2", "[::2]", "0.0.0.0", ""}) {
            assertThat(passes(filter, name, "/traces")).as(name).isFalse();
            assertThat(passes(filter, name, "/actuator/health/readiness")).as("probes stay open: " + name).isTrue();
        }
        assertThat(passes(new LoopbackHostFilter("127.0.0.5"), "127.0.0.5", "/")).as("SERVER_ADDRESS itself").isTrue();
        assertThat(passes(new LoopbackHostFilter("127.0.0.1"), "127.0.0.1", "/")).as("the default address, also a loopback name").isTrue();
        assertThat(passes(new LoopbackHostFilter(""), "", "/")).as("no address is no name").isFalse();
    }

    @Test
    void aRefusalIsA421Problem() throws Exception {
        var response = new MockHttpServletResponse();
        new LoopbackHostFilter("").doFilter(request("evil.example", "/"), response, (req, res) -> { });
        assertThat(response.getStatus()).isEqualTo(421);
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        assertThat(response.getContentAsString()).contains("Misdirected Request");
    }

    private static boolean passes(LoopbackHostFilter filter, String name, String path) throws Exception {
        var passed = new AtomicBoolean();
        filter.doFilter(request(name, path), new MockHttpServletResponse(), (req, res) -> passed.set(true));
        return passed.get();
    }

    private static MockHttpServletRequest request(String name, String path) {
        var request = new MockHttpServletRequest("GET", path);
        request.setServerName(name);
        request.addHeader("Host", name);
        return request;
    }
}
