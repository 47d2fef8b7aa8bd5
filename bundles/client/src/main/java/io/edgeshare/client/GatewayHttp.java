package io.edgeshare.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/** The client's HTTP to gateways: JSON requests with timeouts, errors turned into exit codes. */
public final class GatewayHttp {
    private final HttpClient http;
    private final Duration timeout;

    public GatewayHttp(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    public HttpClient client() {
        return http;
    }

    public Duration timeout() {
        return timeout;
    }

    /** GET a JSON object; a non-2xx answer becomes a {@link ClientException} with the gateway's reason. */
    public JsonObject getJson(String url) throws ClientException {
        return send(HttpRequest.newBuilder(uri(url)).timeout(timeout).GET().build(), url);
    }

    /** POST a JSON body; 2xx answers (200, 201, 202) are returned, others become a {@link ClientException}. */
    public JsonObject postJson(String url, JsonObject body) throws ClientException {
        return send(HttpRequest.newBuilder(uri(url)).timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), url);
    }

    /** Sends a request whose body is read as a stream (downloads, live audio). */
    public HttpResponse<InputStream> stream(HttpRequest request) throws ClientException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unreachable(request.uri().toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(ExitCode.FAILED, "interrupted");
        }
    }

    private JsonObject send(HttpRequest request, String url) throws ClientException {
        HttpResponse<String> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw unreachable(url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(ExitCode.FAILED, "interrupted");
        }
        JsonObject body = parse(r.body());
        if (r.statusCode() / 100 != 2) {
            throw new ClientException(exitFor(r.statusCode()), describe(url, r.statusCode(), body));
        }
        if (body == null) {
            throw new ClientException(ExitCode.FAILED, url + " did not answer JSON");
        }
        return body;
    }

    static URI uri(String url) throws ClientException {
        try {
            URI u = URI.create(url);
            if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                    || u.getHost() == null) {
                throw new IllegalArgumentException("not http(s)");
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new ClientException(ExitCode.USAGE, "not an http(s) URL: " + url);
        }
    }

    static int exitFor(int status) {
        return switch (status) {
            case 404 -> ExitCode.NOT_FOUND;
            case 401, 403, 409, 429, 503 -> ExitCode.REFUSED;
            case 400 -> ExitCode.USAGE;
            default -> ExitCode.FAILED;
        };
    }

    static String describe(String url, int status, JsonObject body) {
        String code = body != null && body.has("error") ? body.get("error").getAsString() : "http-" + status;
        String reason = body != null && body.has("reason") && !body.get("reason").isJsonNull()
                ? body.get("reason").getAsString() : "";
        return url + ": " + status + " " + code + (reason.isEmpty() ? "" : " (" + reason + ")");
    }

    static ClientException unreachable(String url, IOException e) {
        String why = e instanceof HttpConnectTimeoutException || e instanceof HttpTimeoutException ? "timed out"
                : e instanceof ConnectException ? "connection refused" : "connection failed";
        return new ClientException(ExitCode.UNREACHABLE, url + ": " + why);
    }

    private static JsonObject parse(String text) {
        try {
            JsonElement e = JsonParser.parseString(text);
            return e.isJsonObject() ? e.getAsJsonObject() : null;
        } catch (JsonParseException | IllegalStateException e) {
            return null;
        }
    }
}
