package io.ctxprop.telemetry.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

/** The shape every error of both services has: problem+json, the title, a trace id, no stack trace, no cookie. */
public final class ProblemAssertions {

    private ProblemAssertions() {
    }

    public static void assertProblem(HttpResponse<String> response, int status, String title) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).contains("\"title\":\"" + title + "\"").containsPattern("\"traceId\":\"[0-9a-f]{32}\"")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(response.headers().allValues("Set-Cookie")).as("an error sets no cookie").isEmpty();
    }
}
