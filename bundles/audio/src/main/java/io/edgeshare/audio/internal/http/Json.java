package io.edgeshare.audio.internal.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;

import jakarta.servlet.http.HttpServletResponse;

/** JSON at the HTTP edge; the only place this bundle's HTTP side touches Gson. */
final class Json {

    static final Gson GSON = new GsonBuilder().disableHtmlEscaping()
            .registerTypeAdapter(Instant.class, new TypeAdapter<Instant>() {
                @Override
                public void write(JsonWriter out, Instant value) throws IOException {
                    if (value == null) {
                        out.nullValue();
                    } else {
                        out.value(value.toString());
                    }
                }

                @Override
                public Instant read(JsonReader in) throws IOException {
                    return Instant.parse(in.nextString());
                }
            }).create();

    private Json() {
    }

    /** The project's error body: {@code {"error": "code", "reason": "text"}}. */
    static String error(String code, String reason) {
        JsonObject o = new JsonObject();
        o.addProperty("error", code);
        o.addProperty("reason", reason);
        return GSON.toJson(o);
    }

    static void send(HttpServletResponse resp, int status, Object body) throws IOException {
        String text = body instanceof String s ? s : GSON.toJson(body);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }
}
