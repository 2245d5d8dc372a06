package io.ctxprop.telemetry.web;

import io.ctxprop.telemetry.propagation.TraceIds;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * RFC 9457 problem details for every error of a service, each with the trace id of the request, so a
 * user can paste it into Phoenix. Spring's own errors (malformed JSON, wrong method or media type)
 * come through {@link ResponseEntityExceptionHandler}; the services' own ones are {@link TracedProblem}s.
 * Anything else is a 500 with a generic detail: no stack trace or message leaks to the caller.
 */
@RestControllerAdvice
public class TracedProblemHandler extends ResponseEntityExceptionHandler {

    @ExceptionHandler(TracedProblem.class)
    ResponseEntity<ProblemDetail> handleTracedProblem(TracedProblem problem) {
        return withTraceId(problem.toProblemDetail());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> handleUnexpected(Exception failure) {
        logger.error("Unexpected failure", failure);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(500),
                "The service failed unexpectedly; the trace id leads to the details.");
        problem.setTitle("Internal error");
        return withTraceId(problem);
    }

    /** A body cut off by {@link RequestSizeLimitFilter} is a 413, not a malformed body. */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException failure, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestSizeLimitFilter.BodyTooLarge tooLarge) {
                ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(413), tooLarge.getMessage());
                problem.setTitle("Request too large");
                return createResponseEntity(problem, headers, HttpStatusCode.valueOf(413), request);
            }
        }
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JacksonException json && json.getLocation() != null && json.getLocation().getLineNr() > 0) {
                ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(400), malformedJson(json));
                problem.setTitle("Bad Request");
                return createResponseEntity(problem, headers, HttpStatusCode.valueOf(400), request);
            }
        }
        return super.handleHttpMessageNotReadable(failure, headers, status, request);
    }

    /**
     * What Jackson found wrong and where, as it reports it: "Unexpected character ('}' ...) at line 1,
     * column 12". Jackson's first sentence only: the rest describes its own reader.
     */
    static String malformedJson(JacksonException json) {
        if (json instanceof MismatchedInputException mismatch && mismatch.getTargetType() == String.class
                && !mismatch.getPath().isEmpty() && mismatch.getPath().getLast().getPropertyName() != null) {
            return "\"" + mismatch.getPath().getLast().getPropertyName() + "\" must be a JSON string, at line "
                    + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr() + ".";
        }
        String what = json.getOriginalMessage() == null ? "The body is not valid JSON" : json.getOriginalMessage().lines().findFirst().orElse("");
        return what + " at line " + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr() + ".";
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
            WebRequest request) {
        if (body instanceof ProblemDetail problem) {
            addTraceId(problem);
        }
        return super.createResponseEntity(body, headers, status, request);
    }

    private static ResponseEntity<ProblemDetail> withTraceId(ProblemDetail problem) {
        addTraceId(problem);
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }

    private static void addTraceId(ProblemDetail problem) {
        String traceId = TraceIds.current();
        if (traceId != null) {
            problem.setProperty("traceId", traceId);
        }
    }
}
