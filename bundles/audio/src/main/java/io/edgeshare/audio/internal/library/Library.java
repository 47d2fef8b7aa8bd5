package io.edgeshare.audio.internal.library;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The local music a listener can ask for by title, artist or file name (claim B4), tolerant of case and
 * accents. Tags are read once per file and kept while the file's size and modification time hold.
 * Thread-safe.
 */
public final class Library {

    private record Entry(Track track, long size, long modified, List<String> title, List<String> artist,
            List<String> album, List<String> name) {
    }

    private final Consumer<String> warnings;
    private final Map<Path, Entry> index = new HashMap<>();

    public Library(Consumer<String> warnings) {
        this.warnings = warnings;
    }

    /** The best match for {@code query} among the MP3 files in {@code roots}, or empty. */
    public Optional<Track> search(String query, List<Path> roots) {
        List<Track> hits = searchAll(query, roots, 1);
        return hits.isEmpty() ? Optional.empty() : Optional.of(hits.get(0));
    }

    /** Up to {@code limit} matches, best first. Every query word must match a word (or word prefix). */
    public synchronized List<Track> searchAll(String query, List<Path> roots, int limit) {
        List<String> words = SearchText.words(query);
        if (words.isEmpty()) {
            return List.of();
        }
        String folded = String.join(" ", words);
        Set<Path> files = new LinkedHashSet<>();
        for (Path root : roots) {
            if (root != null && Files.isRegularFile(root)) {
                files.add(root);
            } else {
                files.addAll(Playlist.mp3Files(root, warnings));
            }
        }
        index.keySet().retainAll(files);
        record Scored(Track t, int score) {
        }
        List<Scored> scored = new ArrayList<>();
        for (Path f : files) {
            Entry e = entry(f);
            if (e == null) {
                continue;
            }
            int score = 0;
            boolean all = true;
            for (String w : words) {
                int s = Math.max(Math.max(match(w, e.title) * 4, match(w, e.artist) * 3),
                        Math.max(match(w, e.album) * 2, match(w, e.name) * 2));
                if (s == 0) {
                    all = false;
                    break;
                }
                score += s;
            }
            if (!all) {
                continue;
            }
            if (String.join(" ", e.title).equals(folded)) {
                score += 100;
            } else if (String.join(" ", e.name).equals(folded)) {
                score += 80;
            }
            scored.add(new Scored(e.track, score));
        }
        scored.sort((a, b) -> b.score != a.score ? Integer.compare(b.score, a.score)
                : a.t.file().compareTo(b.t.file()));
        return scored.stream().limit(limit).map(Scored::t).toList();
    }

    /** 2 for a whole word, 1 for a word prefix (someone typing "beyon"), 0 otherwise. */
    private static int match(String w, List<String> field) {
        int best = 0;
        for (String f : field) {
            if (f.equals(w)) {
                return 2;
            }
            if (w.length() >= 3 && f.startsWith(w)) {
                best = 1;
            }
        }
        return best;
    }

    private Entry entry(Path f) {
        try {
            long size = Files.size(f);
            long modified = Files.getLastModifiedTime(f).toMillis();
            Entry e = index.get(f);
            if (e == null || e.size != size || e.modified != modified) {
                Track t = Track.of(f);
                e = new Entry(t, size, modified, SearchText.words(t.tags().title()),
                        SearchText.words(t.tags().artist()), SearchText.words(t.tags().album()),
                        SearchText.words(Track.baseName(f)));
                index.put(f, e);
            }
            return e;
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
