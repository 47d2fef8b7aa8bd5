package io.edgeshare.portal.internal;

import java.io.IOException;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A portal JSON endpoint anyone on the hotspot may read and nobody may write: GET and HEAD answer, every
 * other method gets {@code 405}; a bad parameter gets {@code 400 bad-request}. Both are counted.
 */
abstract class ReadOnlyJsonServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** The answer's body, built from the request; {@link IllegalArgumentException} for a bad parameter. */
    abstract Object answer(HttpServletRequest req);

    abstract PortalTelemetry telemetry();

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String method = req.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            telemetry().refusedWrite();
            JsonReplies.readOnly(resp);
            return;
        }
        Object body;
        try {
            body = answer(req);
        } catch (IllegalArgumentException e) {
            telemetry().badRequest();
            JsonReplies.error(resp, HttpServletResponse.SC_BAD_REQUEST, "bad-request", e.getMessage());
            return;
        }
        JsonReplies.ok(resp, body);
    }
}
