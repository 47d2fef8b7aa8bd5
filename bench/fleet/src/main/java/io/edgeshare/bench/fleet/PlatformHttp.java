package io.edgeshare.bench.fleet;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The platform's REST API as the operator uses it (bearer token): enrolment of the simulated gateways
 * ({@code POST /api/devices}, credentials cached in a file so a rerun enrols only what is missing) and the fleet
 * list ({@code GET /api/gateways}, paged) to check presence.
 */
final class PlatformHttp {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    PlatformHttp(String base, String token) {
        this.base = base;
        this.token = token;
    }

    /**
     * The broker password of every id, from {@code cache} (one {@code id password} a line) or enrolled now and
     * appended to it. Prints the enrolment rate when any were enrolled.
     */
    Map<String, String> credentials(List<String> ids, Path cache, int threads) throws Exception {
        Map<String, String> known = new LinkedHashMap<>();
        if (Files.exists(cache)) {
            for (String line : Files.readAllLines(cache, StandardCharsets.US_ASCII)) {
                String[] parts = line.split(" ");
                if (parts.length == 2) {
                    known.put(parts[0], parts[1]);
                }
            }
        }
        List<String> missing = ids.stream().filter(id -> !known.containsKey(id)).toList();
        if (missing.isEmpty()) {
            System.out.printf("enrolment: all %d gateways' credentials cached in %s%n", ids.size(), cache);
            return known;
        }
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<String[]>> results = new ArrayList<>();
            for (String id : missing) {
                results.add(pool.submit(() -> new String[] { id, enrol(id) }));
            }
            // each credential is kept as soon as it is issued: an interrupted enrolment resumes where it stopped
            try (java.io.Writer out = Files.newBufferedWriter(cache, StandardCharsets.US_ASCII,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                int done = 0;
                for (Future<String[]> f : results) {
                    String[] r = f.get();
                    known.put(r[0], r[1]);
                    out.write(r[0] + " " + r[1] + "\n");
                    out.flush();
                    if (++done % 1000 == 0) {
                        System.out.printf("enrolment: %d of %d after %.0f s%n", done, missing.size(),
                                (System.nanoTime() - t0) / 1e9);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("enrolment: %d gateways enrolled in %.1f s (%.0f/s, %d HTTP clients), %d cached%n",
                missing.size(), s, missing.size() / s, threads, ids.size() - missing.size());
        return known;
    }

    /**
     * The enrolment rate on a sample: {@code count} throwaway devices enrolled by {@code threads} clients, then
     * revoked ({@code DELETE /api/devices/{id}}) so the registry does not grow from run to run.
     */
    void enrolmentSample(int count, int threads) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add("rate-" + Long.toString(System.currentTimeMillis(), 36) + "-" + i);
        }
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (String id : ids) {
                results.add(pool.submit(() -> enrol(id)));
            }
            for (Future<String> f : results) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        int registered = 0;
        for (String id : ids) {
            HttpResponse<String> r = http.send(request("/api/devices/" + id).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
            registered += r.statusCode() == 204 ? 1 : 0;
        }
        System.out.printf("enrolment sample: %d devices via POST /api/devices in %.1f s (%.1f/s, %d HTTP clients); "
                + "%d revoked again%n", count, s, count / s, threads, registered);
    }

    private String enrol(String id) throws IOException, InterruptedException {
        JsonObject body = new JsonObject();
        body.addProperty("deviceId", id);
        HttpResponse<String> r = http.send(request("/api/devices").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 && r.statusCode() != 201) {
            throw new IOException("enrolment of " + id + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return JsonParser.parseString(r.body()).getAsJsonObject().get("password").getAsString();
    }

    /** Every gateway the platform lists as online, page by page (at most 1,000 a page, at most 1,000 pages). */
    Set<String> online() throws IOException, InterruptedException {
        Set<String> out = new HashSet<>();
        String after = null;
        for (int page = 0; page < 1000; page++) {
            String q = "/api/gateways?status=online&limit=1000" + (after == null ? "" : "&after=" + after);
            HttpResponse<String> r = http.send(request(q).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("GET " + q + ": HTTP " + r.statusCode() + " " + r.body());
            }
            JsonObject o = JsonParser.parseString(r.body()).getAsJsonObject();
            for (JsonElement g : o.getAsJsonArray("gateways")) {
                out.add(g.getAsJsonObject().get("deviceId").getAsString());
            }
            JsonElement next = o.get("next");
            if (next == null || next.isJsonNull()) {
                return out;
            }
            after = next.getAsString();
        }
        return out;
    }

    /** How many reports the platform has written to its store ({@code /api/metrics}, fleet source), or -1. */
    long reportsStored() {
        Double v = sample(metrics(), "edgeshare_fleet_reports_total", "");
        return v == null ? -1 : v.longValue();
    }

    /** The sample of family {@code name} whose labels contain {@code label} ("" for any), or null. */
    static Double sample(Map<String, Double> metrics, String name, String label) {
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            String k = e.getKey();
            if (k.startsWith(name) && (k.length() == name.length() || k.charAt(name.length()) == '{')
                    && k.contains(label)) {
                return e.getValue();
            }
        }
        return null;
    }

    /**
     * The platform's Prometheus samples ({@code /api/metrics}), keyed by name and labels as written (for instance
     * {@code edgeshare_fleet_push_latency_seconds_bucket{le="0.1"}}); empty when unreadable.
     */
    Map<String, Double> metrics() {
        Map<String, Double> out = new HashMap<>();
        try {
            HttpResponse<String> r = http.send(request("/api/metrics").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            for (String line : r.body().split("\n")) {
                int space = line.lastIndexOf(' ');
                if (line.startsWith("#") || space < 0) {
                    continue;
                }
                try {
                    out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
                } catch (NumberFormatException e) {
                    // not a sample line
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
    }
}
