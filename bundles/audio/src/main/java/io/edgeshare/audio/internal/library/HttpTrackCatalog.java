package io.edgeshare.audio.internal.library;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.edgeshare.audio.internal.mp3.Mp3FrameReader;

/**
 * A network catalog over HTTP: {@code GET {catalog}?q={query}} answers a JSON array (or an object with
 * {@code items} or {@code tracks}) of entries with {@code title}, optional {@code artist},
 * {@code mediaType}, and either {@code url} (absolute or relative to the catalog) or {@code id} (fetched
 * from {@code /content/{id}} on the catalog's host, as a peer gateway's cache serves it). The first MP3
 * entry is downloaded into {@code downloads} and kept there, so the library finds it next time.
 */
public final class HttpTrackCatalog implements TrackCatalog {

    private static final long MAX_BYTES = 64L << 20;

    private final URI catalog;
    private final Path downloads;
    private final HttpClient http;
    private final Consumer<String> warnings;

    public HttpTrackCatalog(URI catalog, Path downloads, Consumer<String> warnings) {
        this.catalog = catalog;
        this.downloads = downloads;
        this.warnings = warnings;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    @Override
    public Optional<Track> fetch(String query) throws IOException, InterruptedException {
        String sep = catalog.getRawQuery() == null ? "?" : "&";
        URI search = URI.create(catalog + sep + "q=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(search).timeout(Duration.ofSeconds(10))
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() == 404) {
            return Optional.empty();
        }
        if (res.statusCode() != 200) {
            throw new IOException("catalog " + search + " answered HTTP " + res.statusCode());
        }
        JsonArray items = items(JsonParser.parseString(res.body()));
        for (JsonElement el : items) {
            if (!el.isJsonObject()) {
                continue;
            }
            JsonObject item = el.getAsJsonObject();
            String mediaType = str(item, "mediaType");
            URI url = location(item);
            if (url == null) {
                continue;
            }
            boolean mpeg = mediaType.isEmpty() ? url.getPath().toLowerCase(Locale.ROOT).endsWith(".mp3")
                    : mediaType.startsWith("audio/mpeg") || mediaType.equals("audio/mp3");
            if (!mpeg) {
                continue;
            }
            String title = str(item, "title");
            String artist = str(item, "artist");
            Path file = download(url, artist.isEmpty() ? title : artist + " - " + title);
            return Optional.of(Track.of(file, title.isEmpty() ? null : (artist.isEmpty() ? title : artist + " - " + title)));
        }
        return Optional.empty();
    }

    private static JsonArray items(JsonElement root) throws IOException {
        if (root.isJsonArray()) {
            return root.getAsJsonArray();
        }
        if (root.isJsonObject()) {
            for (String key : new String[] { "items", "tracks", "results" }) {
                if (root.getAsJsonObject().has(key) && root.getAsJsonObject().get(key).isJsonArray()) {
                    return root.getAsJsonObject().getAsJsonArray(key);
                }
            }
        }
        throw new IOException("catalog answer is not a list of tracks");
    }

    private URI location(JsonObject item) {
        String url = str(item, "url");
        if (!url.isEmpty()) {
            URI u = catalog.resolve(url);
            return "http".equals(u.getScheme()) || "https".equals(u.getScheme()) ? u : null;
        }
        String id = str(item, "id");
        return id.isEmpty() ? null : catalog.resolve("/content/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
    }

    private static String str(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() || !e.isJsonPrimitive() ? "" : e.getAsString().strip();
    }

    private Path download(URI url, String label) throws IOException, InterruptedException {
        Files.createDirectories(downloads);
        Path target = downloads.resolve(fileName(label, url));
        if (Files.isRegularFile(target) && Files.size(target) > 0) {
            return target;
        }
        Path tmp = Files.createTempFile(downloads, ".fetch-", ".part");
        try {
            HttpResponse<InputStream> res = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60))
                    .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = res.body()) {
                if (res.statusCode() != 200) {
                    throw new IOException("fetching " + url + ": HTTP " + res.statusCode());
                }
                long n = 0;
                byte[] b = new byte[64 * 1024];
                try (var out = Files.newOutputStream(tmp)) {
                    int r;
                    while ((r = in.read(b)) > 0) {
                        n += r;
                        if (n > MAX_BYTES) {
                            throw new IOException("fetching " + url + ": larger than " + MAX_BYTES + " bytes");
                        }
                        out.write(b, 0, r);
                    }
                }
            }
            verify(tmp, url);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Refuses a download that holds no MPEG audio (an HTML error page, say). */
    private void verify(Path file, URI url) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(256 * 1024);
        }
        try (Mp3FrameReader r = new Mp3FrameReader(new ByteArrayInputStream(head), url.toString(), w -> { })) {
            for (int i = 0; i < 3; i++) {
                if (r.next() == null) {
                    throw new IOException("fetched " + url + " is not MPEG audio");
                }
            }
        }
    }

    private static String fileName(String label, URI url) {
        String safe = SearchText.fold(label).replace(' ', '_');
        if (safe.length() > 60) {
            safe = safe.substring(0, 60);
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(url.toString().getBytes(StandardCharsets.UTF_8));
            return (safe.isEmpty() ? "track" : safe) + "-" + HexFormat.of().formatHex(h, 0, 6) + ".mp3";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
