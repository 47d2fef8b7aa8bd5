package io.edgeshare.provisioning;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** A platform's HTTP API as an operator's script uses it: loopback, with or without the operator token. */
final class PlatformApi {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final int port;
    private final String token;

    PlatformApi(int port, String token) {
        this.port = port;
        this.token = token;
    }

    HttpResponse<String> get(String path, boolean operator) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5));
        if (operator) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The operator's view of {@code path}, or null when it does not answer 200. */
    JsonObject view(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = get(path, true);
        return r.statusCode() == 200 ? json(r.body()) : null;
    }

    /** Whether the API at {@code path} says its broker session is connected. */
    boolean connected(String path) throws IOException, InterruptedException {
        JsonObject v = view(path);
        return v != null && v.has("connected") && v.get("connected").getAsBoolean();
    }

    static JsonObject json(String body) {
        return JsonParser.parseString(body).getAsJsonObject();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
