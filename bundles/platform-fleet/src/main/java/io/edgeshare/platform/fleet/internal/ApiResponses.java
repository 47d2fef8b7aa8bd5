package io.edgeshare.platform.fleet.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSerializer;

import jakarta.servlet.http.HttpServletResponse;

/**
 * Writes the platform API's JSON answers. Errors are always {@code {"error": code, "message": one line}}; a
 * client that hung up before its answer is one WARN line, not a stack trace.
 */
final class ApiResponses {
    private static final Logger LOG = LoggerFactory.getLogger(ApiResponses.class);
    static final Gson GSON = new GsonBuilder().disableHtmlEscaping()
            .registerTypeAdapter(Instant.class,
                    (JsonSerializer<Instant>) (src, t, c) -> new JsonPrimitive(src.toString()))
            .create();

    private ApiResponses() {
    }

    static void json(HttpServletResponse resp, int status, Object body) {
        byte[] json = GSON.toJson(body).getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        resp.setContentType("application/json;charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setContentLength(json.length);
        try {
            resp.getOutputStream().write(json);
        } catch (IOException e) {
            LOG.warn("edgeshare.platform.api: the client left before its answer ({} bytes, status {})", json.length,
                    status);
        }
    }

    static void error(HttpServletResponse resp, int status, String code, String message) {
        JsonObject o = new JsonObject();
        o.addProperty("error", code);
        o.addProperty("message", message);
        json(resp, status, o);
    }
}
