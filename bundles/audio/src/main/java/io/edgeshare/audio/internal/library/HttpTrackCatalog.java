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
import java.util.List;
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
 * {@code items}, {@code tracks} or {@code results}) of entries with {@code title}, optional {@code artist},
 * {@code mediaType}, {@code sha256}, and either {@code url} (absolute or relative to the catalog) or
 * {@code id} (fetched from {@code /content/{id}} on the catalog's host). A peer gateway's cache catalog
 * ({@code /api/catalog}) has this shape. Entries are matched against the query here too (every word in
 * title, artist or file name), so a catalog that ignores {@code q} works; the best MP3 match is downloaded
 * into the download folder, checked (MPEG frames, SHA-256 when given) and kept within its quota, so the
 * library finds it next time. Only URLs under the channel's {@code origin.allowed.prefixes} are requested.
 */
public final class HttpTrackCatalog implements TrackCatalog {

    private static final long MAX_BYTES = 64L << 20;

    private final URI catalog;
    private final UrlPrefixes allowed;
    private final DownloadFolder folder;
    private final Path downloads;
    private final HttpClient http;
    private final Consumer<String> warnings;

    /**
     * @param allowed the channel's {@code origin.allowed.prefixes}: the catalog and every track URL must fall
     *                under one (a catalog answer cannot point this gateway at another host or path)
     */
    public HttpTrackCatalog(URI catalog, UrlPrefixes allowed, DownloadFolder folder, Consumer<String> warnings) {
        this.catalog = catalog;
        this.allowed = allowed;
        this.folder = folder;
        this.downloads = folder.dir();
        this.warnings = warnings;
        // redirects are not followed: a redirect could leave the allowed prefixes
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Optional<Track> fetch(String query) throws IOException, InterruptedException {
        String sep = catalog.getRawQuery() == null ? "?" : "&";
        URI search = URI.create(catalog + sep + "q=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        allowed.check(search);
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(search).timeout(Duration.ofSeconds(10))
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() == 404) {
            return Optional.empty();
        }
        if (res.statusCode() != 200) {
            throw new IOException("catalog " + search + " answered HTTP " + res.statusCode());
        }
        JsonArray items = items(JsonParser.parseString(res.body()));
        // The catalog may ignore q (a peer gateway's /api/catalog lists everything): match here as well.
        List<String> words = SearchText.words(query);
        JsonObject best = null;
        URI bestUrl = null;
        int bestScore = 0;
        for (JsonElement el : items) {
            if (!el.isJsonObject()) {
                continue;
            }
            JsonObject item = el.getAsJsonObject();
            URI url = location(item);
            if (url == null || !isMpeg(item, url)) {
                continue;
            }
            if (!allowed.allows(url)) {
                warnings.accept("network catalog entry outside origin.allowed.prefixes ignored: " + url);
                continue;
            }
            String path = url.getPath() == null ? "" : url.getPath();
            List<String> hay = SearchText.words(str(item, "title") + " " + str(item, "artist") + " "
                    + path.substring(path.lastIndexOf('/') + 1));
            int score = 0;
            for (String w : words) {
                if (hay.contains(w)) {
                    score += 2;
                } else if (w.length() >= 3 && hay.stream().anyMatch(h -> h.startsWith(w))) {
                    score += 1;
                } else {
                    score = -1;
                    break;
                }
            }
            if (score > bestScore) {
                best = item;
                bestUrl = url;
                bestScore = score;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        String title = str(best, "title");
        String artist = str(best, "artist");
        String label = artist.isEmpty() ? title : artist + " - " + title;
        Path file = download(bestUrl, label, str(best, "sha256"));
        return Optional.of(Track.of(file, label.isBlank() ? null : label));
    }

    private static boolean isMpeg(JsonObject item, URI url) {
        String mediaType = str(item, "mediaType");
        if (mediaType.isEmpty()) {
            return url.getPath() != null && url.getPath().toLowerCase(Locale.ROOT).endsWith(".mp3");
        }
        return mediaType.startsWith("audio/mpeg") || mediaType.equals("audio/mp3");
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

    private Path download(URI url, String label, String sha256) throws IOException, InterruptedException {
        Files.createDirectories(downloads);
        allowed.check(url);
        Path target = downloads.resolve(fileName(label, url));
        if (Files.isRegularFile(target) && Files.size(target) > 0) {
            folder.played(target);
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
                        if (n > MAX_BYTES || n > folder.quotaBytes()) {
                            throw new IOException("fetching " + url + ": larger than " + MAX_BYTES + " bytes");
                        }
                        out.write(b, 0, r);
                    }
                }
            }
            verify(tmp, url);
            if (!sha256.isEmpty() && !sha256.equalsIgnoreCase(sha256Of(tmp))) {
                throw new IOException("fetched " + url + " does not match the catalog's SHA-256");
            }
            folder.makeRoom(Files.size(tmp), target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            folder.played(target);
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

    private static String sha256Of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] b = new byte[64 * 1024];
            int r;
            while ((r = in.read(b)) > 0) {
                d.update(b, 0, r);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
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
