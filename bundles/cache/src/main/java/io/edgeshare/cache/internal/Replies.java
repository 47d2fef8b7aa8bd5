package io.edgeshare.cache.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import jakarta.servlet.http.HttpServletResponse;

/** JSON answers and errors of the cache's HTTP endpoints (the only place, with the fetcher, that knows Gson). */
final class Replies {

    private final Gson gson = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    Gson gson() {
        return gson;
    }

    void json(HttpServletResponse resp, int status, Object body) throws IOException {
        byte[] bytes = gson.toJson(body).getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        resp.setContentType("application/json;charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    /** Every error is a clear status and a short JSON reason: {@code {"error":"code","reason":"text"}}. */
    void error(HttpServletResponse resp, int status, String code, String reason, String... headerPairs)
            throws IOException {
        if (resp.isCommitted()) {
            return;
        }
        resp.reset();
        for (int i = 0; i + 1 < headerPairs.length; i += 2) {
            resp.setHeader(headerPairs[i], headerPairs[i + 1]);
        }
        json(resp, status, errorBody(code, reason));
    }

    /** The body of an error answer, {@code {"error":"code","reason":"text"}}. */
    Map<String, Object> errorBody(String code, String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("reason", reason);
        return body;
    }

    /** The public view of an item (the catalog fields and its content URL). */
    static Map<String, Object> item(StoredItem i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("title", i.title());
        m.put("mediaType", i.mediaType());
        m.put("size", i.size());
        m.put("sha256", i.sha256());
        m.put("category", i.category());
        m.put("added", i.added().toString());
        m.put("url", "/content/" + i.id());
        return m;
    }

    /** What an operator sees: the public view plus origin, freshness and pinning. */
    static Map<String, Object> adminItem(StoredItem i, boolean shared) {
        Map<String, Object> m = item(i);
        m.put("origin", i.originUrl());
        m.put("etag", i.etag());
        m.put("lastModified", i.lastModified());
        m.put("freshUntil", i.freshUntil().toString());
        m.put("pinned", i.pinned());
        m.put("lastAccess", i.lastAccess().toString());
        m.put("shared", shared);
        return m;
    }
}
