package io.ctxprop.application.session;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * Adds a cookie to the response just before its headers can be sent (the first write or flush, or the
 * end of the request), and only if the status then is a success: errors set no cookie.
 */
final class CookieOnSuccess extends HttpServletResponseWrapper {

    private final Cookie cookie;
    private boolean decided;

    CookieOnSuccess(HttpServletResponse response, Cookie cookie) {
        super(response);
        this.cookie = cookie;
    }

    /** Called before anything can commit the headers. */
    void beforeCommit() {
        if (!decided && !isCommitted()) {
            decided = true;
            if (getStatus() < 400) {
                addCookie(cookie);
            }
        }
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        beforeCommit();
        return super.getOutputStream();
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        beforeCommit();
        return super.getWriter();
    }

    @Override
    public void flushBuffer() throws IOException {
        beforeCommit();
        super.flushBuffer();
    }

    @Override
    public void sendError(int status) throws IOException {
        decided = true;
        super.sendError(status);
    }

    @Override
    public void sendError(int status, String message) throws IOException {
        decided = true;
        super.sendError(status, message);
    }
}
