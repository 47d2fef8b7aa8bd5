package io.edgeshare.karaf.shell.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * Asks the platform for a device credential: {@code POST /api/devices} with the operator token (contract K5).
 * The answer's password is a secret: it goes into ConfigAdmin only, never to the console or the log.
 */
final class PlatformEnrolment {

    /** What the platform issued. {@code toString} leaves the password out. */
    record Credential(String deviceId, String username, String password, String platformKey) {
        @Override
        public String toString() {
            return "Credential[" + deviceId + " as " + username + "]";
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    Credential enrol(URI platform, String operatorToken, String deviceId) throws IOException, InterruptedException {
        JsonObject body = new JsonObject();
        body.addProperty("deviceId", deviceId);
        HttpRequest request = HttpRequest.newBuilder(platform.resolve("/api/devices"))
                .header("Authorization", "Bearer " + operatorToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).timeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonObject answer = parse(response.body());
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            String code = answer != null && answer.has("error") ? answer.get("error").getAsString() : "no JSON error";
            throw new IOException("the platform refused the enrolment: HTTP " + response.statusCode() + " (" + code
                    + ")" + (response.statusCode() == 401 ? ": check the operator token" : ""));
        }
        if (answer == null || !answer.has("password") || !answer.has("username") || !answer.has("platformKey")) {
            throw new IOException("the platform's answer lacks username, password or platformKey");
        }
        return new Credential(deviceId, answer.get("username").getAsString(), answer.get("password").getAsString(),
                answer.get("platformKey").getAsString());
    }

    private static JsonObject parse(String text) {
        try {
            return JsonParser.parseString(text).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            return null;
        }
    }
}
