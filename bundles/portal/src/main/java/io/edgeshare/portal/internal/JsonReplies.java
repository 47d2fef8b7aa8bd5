package io.edgeshare.portal.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import jakarta.servlet.http.HttpServletResponse;

/** How the portal's JSON API answers: a body, or {@code {"error": "code", "reason": "text"}}. */
final class JsonReplies {
    // HTML-safe escaping stays on (Gson's default): peer-supplied text is inert even if a page misuses it
    private static final Gson GSON = new GsonBuilder().serializeNulls().create();

    private JsonReplies() {
    }

    static void ok(HttpServletResponse resp, Object body) throws IOException {
        send(resp, HttpServletResponse.SC_OK, body);
    }

    static void error(HttpServletResponse resp, int status, String code, String reason) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("reason", reason);
        send(resp, status, body);
    }

    /** {@code 405 method-not-allowed}: the portal's JSON API is read-only for everyone. */
    static void readOnly(HttpServletResponse resp) throws IOException {
        resp.setHeader("Allow", "GET, HEAD");
        error(resp, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method-not-allowed", "this API is read-only");
    }

    private static void send(HttpServletResponse resp, int status, Object body) throws IOException {
        byte[] json = GSON.toJson(body).getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        resp.setContentType("application/json;charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setContentLength(json.length);
        resp.getOutputStream().write(json);
    }
}
