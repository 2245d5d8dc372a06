package io.ctxprop.telemetry.web;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * An error a service answers on purpose (bad input, an upstream failure), turned into problem+json
 * with the trace id by {@link TracedProblemHandler}.
 */
public class TracedProblem extends RuntimeException {

    private final int status;
    private final String title;

    public TracedProblem(int status, String title, String detail) {
        this(status, title, detail, null);
    }

    public TracedProblem(int status, String title, String detail, Throwable cause) {
        super(detail, cause);
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    ProblemDetail toProblemDetail() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status), getMessage());
        problem.setTitle(title);
        return problem;
    }
}
