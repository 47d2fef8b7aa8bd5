package io.edgeshare.audio.internal.library;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The channel's programme: the MP3 files of a directory (recursively, in name order) or of an M3U/M3U8
 * list, optionally shuffled, optionally repeated. The source is read again at the start of every cycle,
 * so files added to the directory are picked up without a restart. Not thread-safe (the sequencer
 * guards it).
 */
public final class Playlist {

    private final Path source;
    private final boolean shuffle;
    private final boolean repeat;
    private final Random random;
    private final Consumer<String> warnings;
    private final List<Track> order = new ArrayList<>();
    private int next;
    private boolean loadedOnce;
    private Path lastPlayed;

    public Playlist(Path source, boolean shuffle, boolean repeat, Random random, Consumer<String> warnings) {
        this.source = source;
        this.shuffle = shuffle;
        this.repeat = repeat;
        this.random = random;
        this.warnings = warnings;
    }

    public Path source() {
        return source;
    }

    /** The next track, or null when the playlist is empty or over (repeat off). */
    public Track next() {
        if (!ensure()) {
            return null;
        }
        Track t = order.get(next++);
        lastPlayed = t.file();
        return t;
    }

    /** Up to n upcoming tracks without consuming them (within the current cycle, then the next one). */
    public List<Track> peek(int n) {
        List<Track> out = new ArrayList<>();
        if (!ensure()) {
            return out;
        }
        for (int i = next; i < order.size() && out.size() < n; i++) {
            out.add(order.get(i));
        }
        if (repeat && !shuffle) {
            for (int i = 0; i < order.size() && out.size() < n && i < next; i++) {
                out.add(order.get(i));
            }
        }
        return out;
    }

    /** Files the playlist holds now (for the on-demand library). */
    public List<Path> files() {
        return scan(source, warnings);
    }

    private boolean ensure() {
        if (next < order.size()) {
            return true;
        }
        if (loadedOnce && !repeat) {
            return false;
        }
        loadedOnce = true;
        order.clear();
        next = 0;
        for (Path p : scan(source, warnings)) {
            order.add(Track.of(p, m3uTitles.get(p)));
        }
        if (shuffle && order.size() > 1) {
            Collections.shuffle(order, random);
            if (order.get(0).file().equals(lastPlayed)) { // no immediate repeat across cycles
                Collections.swap(order, 0, 1 + random.nextInt(order.size() - 1));
            }
        }
        return !order.isEmpty();
    }

    private final java.util.Map<Path, String> m3uTitles = new java.util.HashMap<>();

    private List<Path> scan(Path src, Consumer<String> warn) {
        if (src == null) {
            return List.of();
        }
        if (Files.isDirectory(src)) {
            return mp3Files(src, warn);
        }
        if (Files.isRegularFile(src)) {
            String n = src.getFileName().toString().toLowerCase(Locale.ROOT);
            if (n.endsWith(".m3u") || n.endsWith(".m3u8")) {
                return readM3u(src, warn);
            }
            return List.of(src);
        }
        warn.accept("playlist " + src + " does not exist");
        return List.of();
    }

    private List<Path> readM3u(Path m3u, Consumer<String> warn) {
        List<Path> out = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(m3u, StandardCharsets.UTF_8);
        } catch (IOException e) {
            try {
                lines = Files.readAllLines(m3u, StandardCharsets.ISO_8859_1);
            } catch (IOException e2) {
                warn.accept("cannot read playlist " + m3u + ": " + e2.getMessage());
                return out;
            }
        }
        String pendingTitle = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#EXTINF:")) {
                int comma = line.indexOf(',');
                pendingTitle = comma > 0 ? line.substring(comma + 1).strip() : null;
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            if (line.contains("://") && !line.startsWith("file://")) {
                warn.accept("playlist " + m3u + ": remote entry not supported, skipped: " + line);
                pendingTitle = null;
                continue;
            }
            Path p = line.startsWith("file://") ? Path.of(java.net.URI.create(line))
                    : m3u.toAbsolutePath().getParent().resolve(line.replace('\\', '/'));
            if (Files.isRegularFile(p)) {
                out.add(p);
                if (pendingTitle != null) {
                    m3uTitles.put(p, pendingTitle);
                }
            } else {
                warn.accept("playlist " + m3u + ": missing file skipped: " + line);
            }
            pendingTitle = null;
        }
        return out;
    }

    /** Every *.mp3 (and *.mp2, *.mpga) file under dir, in path order. */
    public static List<Path> mp3Files(Path dir, Consumer<String> warn) {
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir, 8)) {
            return s.filter(Files::isRegularFile).filter(Playlist::isMpegAudio).sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            warn.accept("cannot list " + dir + ": " + e.getMessage());
            return List.of();
        }
    }

    static boolean isMpegAudio(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return !n.startsWith(".") && (n.endsWith(".mp3") || n.endsWith(".mp2") || n.endsWith(".mpga"));
    }
}
