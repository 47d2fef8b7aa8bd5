package io.edgeshare.audio.internal;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A channel's configuration parsed and checked once; immutable. Bad values are rejected with a message
 * naming the key, so a bad policy fails loudly instead of half-applying.
 */
public record Settings(String id, String name, Path playlist, Path pipe, boolean shuffle, boolean repeat,
        long bufferNanos, long thresholdNanos, long burstNanos, long chunkNanos, Admission.Mode admission,
        int maxListeners, String ownerToken, Path breaksDir, int breaksEvery, Path libraryDir, String catalogUrl,
        int maxQueue, int icyMetaint, boolean silenceFill, java.util.List<String> originAllowedPrefixes,
        long downloadsQuotaBytes) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final long MS = 1_000_000L;

    /** Parses {@code c}; relative or empty paths resolve against {@code dataDir}. */
    public static Settings from(ChannelConfig c, Path dataDir) {
        if (!ID.matcher(c.id()).matches()) {
            throw new IllegalArgumentException("id: must be 1-64 letters, digits, '-' or '_': '" + c.id() + "'");
        }
        if (c.buffer_ms() < 500 || c.buffer_ms() > 600_000) {
            throw new IllegalArgumentException("buffer.ms: must be 500..600000, got " + c.buffer_ms());
        }
        if (c.chunk_ms() < 20 || c.chunk_ms() > 5000) {
            throw new IllegalArgumentException("chunk.ms: must be 20..5000, got " + c.chunk_ms());
        }
        // a short buffer needs short chunks: at least four of them fit, whatever chunk.ms says
        int chunkMs = Math.max(20, Math.min(c.chunk_ms(), c.buffer_ms() / 4));
        if (c.start_threshold_ms() < 0 || c.burst_ms() < 0) {
            throw new IllegalArgumentException("start.threshold.ms and burst.ms must not be negative");
        }
        if (c.max_listeners() < 0 || c.breaks_every() < 0 || c.max_queue() < 0) {
            throw new IllegalArgumentException("max.listeners, breaks.every and max.queue must not be negative");
        }
        if (c.icy_metaint() < 256 || c.icy_metaint() > 65536) {
            throw new IllegalArgumentException("icy.metaint: must be 256..65536, got " + c.icy_metaint());
        }
        Admission.Mode mode;
        try {
            mode = Admission.Mode.valueOf(c.admission_mode().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("admission.mode: open, capped or approve, got '" + c.admission_mode() + "'");
        }
        if (mode == Admission.Mode.CAPPED && c.max_listeners() == 0) {
            throw new IllegalArgumentException("admission.mode=capped needs max.listeners > 0");
        }
        String catalog = c.catalog_url().trim();
        if (!catalog.isEmpty() && !(catalog.startsWith("http://") || catalog.startsWith("https://"))) {
            throw new IllegalArgumentException("catalog.url: must be http(s), got '" + catalog + "'");
        }
        long buffer = c.buffer_ms() * MS;
        // the burst must leave room in the buffer, or a new listener would start already behind
        long burst = Math.min(c.burst_ms() * MS, buffer - 2L * chunkMs * MS);
        return new Settings(c.id(), c.name().isBlank() ? c.id() : c.name().strip(),
                path(c.playlist(), dataDir, "music"), optionalPath(c.pipe_path(), dataDir), c.shuffle(), c.repeat(),
                buffer, Math.min(c.start_threshold_ms() * MS, buffer), Math.max(0, burst), chunkMs * MS, mode,
                c.max_listeners(), c.owner_token(), optionalPath(c.breaks_dir(), dataDir), c.breaks_every(),
                optionalPath(c.library_dir(), dataDir), catalog, c.max_queue(), c.icy_metaint(), c.silence_fill(),
                prefixes(c.origin_allowed_prefixes()), Math.max(1L << 20, c.downloads_quota_bytes()));
    }

    private static java.util.List<String> prefixes(String[] raw) {
        return raw == null ? java.util.List.of()
                : java.util.Arrays.stream(raw).map(String::strip).filter(p -> !p.isEmpty()).toList();
    }

    private static Path path(String value, Path dataDir, String fallback) {
        return value.isBlank() ? dataDir.resolve(fallback) : dataDir.resolve(value.strip());
    }

    private static Path optionalPath(String value, Path dataDir) {
        return value.isBlank() ? null : dataDir.resolve(value.strip());
    }
}
