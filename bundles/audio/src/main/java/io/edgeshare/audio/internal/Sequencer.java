package io.edgeshare.audio.internal;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import io.edgeshare.audio.internal.library.Playlist;
import io.edgeshare.audio.internal.library.Track;

/**
 * Decides what plays next: a due broadcast break, then requested tracks in order, then the pipe or the
 * playlist. Breaks come between items only, so a song is never cut (claim B9). Reconfiguration replaces
 * the programme for the next item; the item playing finishes. Thread-safe.
 */
public final class Sequencer {

    private final Consumer<String> warnings;
    private final Random random;
    private final Deque<PlayItem> requests = new ArrayDeque<>();
    private Playlist playlist;
    private Path pipe;
    private Path breaksDir;
    private int breaksEvery;
    private List<Path> breakReel = List.of();
    private int breakIndex;
    private int songsSinceBreak;
    private PlayItem current;
    private boolean lastWasBreak;
    private Settings applied;

    public Sequencer(Random random, Consumer<String> warnings) {
        this.random = random;
        this.warnings = warnings;
    }

    /** Applies the programme keys of {@code s}; keeps the playlist position if the playlist is unchanged. */
    public synchronized void configure(Settings s) {
        if (applied == null || !s.playlist().equals(applied.playlist()) || s.shuffle() != applied.shuffle()
                || s.repeat() != applied.repeat()) {
            playlist = new Playlist(s.playlist(), s.shuffle(), s.repeat(), random, warnings);
        }
        pipe = s.pipe();
        if (breaksDir == null ? s.breaksDir() != null : !breaksDir.equals(s.breaksDir())) {
            breakReel = List.of();
            breakIndex = 0;
        }
        breaksDir = s.breaksDir();
        breaksEvery = s.breaksEvery();
        applied = s;
    }

    /** What to play now, or null when there is nothing (empty playlist, over, no pipe). */
    public synchronized PlayItem next() {
        PlayItem item = choose();
        current = item;
        return item;
    }

    private PlayItem choose() {
        if (breaksEvery > 0 && !lastWasBreak && songsSinceBreak >= breaksEvery) {
            PlayItem b = nextBreak();
            if (b != null) {
                lastWasBreak = true;
                songsSinceBreak = 0;
                return b;
            }
        }
        lastWasBreak = false;
        PlayItem r = requests.poll();
        if (r != null) {
            return r;
        }
        if (pipe != null) {
            return new PlayItem(PlayItem.Kind.PIPE, pipe, applied.name(), null);
        }
        Track t = playlist == null ? null : playlist.next();
        return t == null ? null : new PlayItem(PlayItem.Kind.SONG, t.file(), t.title(), null);
    }

    private PlayItem nextBreak() {
        if (breakIndex >= breakReel.size()) {
            breakReel = Playlist.mp3Files(breaksDir, warnings); // re-read: the operator may have swapped clips
            breakIndex = 0;
            if (breakReel.isEmpty()) {
                return null;
            }
        }
        Track t = Track.of(breakReel.get(breakIndex++));
        return new PlayItem(PlayItem.Kind.BREAK, t.file(), t.title(), null);
    }

    /** The item has ended (played, failed or cut by deactivation). */
    public synchronized void finished(PlayItem item, boolean playedSomething) {
        if (item.kind() != PlayItem.Kind.BREAK && playedSomething) {
            songsSinceBreak++;
        }
        if (current == item) {
            current = null;
        }
    }

    public synchronized PlayItem current() {
        return current;
    }

    /** Queues a requested track; returns its position (1 = next). */
    public synchronized int enqueue(PlayItem request) {
        requests.add(request);
        return requests.size();
    }

    /** Position of a queued request (1 = next), or 0 when it is not queued. */
    public synchronized int position(String requestId) {
        int i = 1;
        for (PlayItem p : requests) {
            if (requestId.equals(p.requestId())) {
                return i;
            }
            i++;
        }
        return 0;
    }

    public synchronized int queued() {
        return requests.size();
    }

    /** Whether a request waits, so an endless pipe session should yield at its next pause. */
    public synchronized boolean hasRequests() {
        return !requests.isEmpty();
    }

    /** Titles of up to n items that will play next, breaks included where they are due. */
    public synchronized List<String> upcoming(int n) {
        List<String> out = new ArrayList<>();
        int since = songsSinceBreak;
        boolean afterBreak = lastWasBreak;
        List<PlayItem> items = new ArrayList<>(requests);
        if (pipe != null) {
            items.add(new PlayItem(PlayItem.Kind.PIPE, pipe, applied.name(), null));
        } else if (playlist != null) {
            for (Track t : playlist.peek(n)) {
                items.add(new PlayItem(PlayItem.Kind.SONG, t.file(), t.title(), null));
            }
        }
        if (current != null && current.kind() != PlayItem.Kind.BREAK) {
            since++;
        }
        for (PlayItem p : items) {
            if (out.size() >= n) {
                break;
            }
            if (breaksEvery > 0 && !afterBreak && since >= breaksEvery && breaksDir != null) {
                out.add("[Break]");
                since = 0;
                if (out.size() >= n) {
                    break;
                }
            }
            out.add(p.displayTitle());
            since++;
            afterBreak = false;
        }
        return out;
    }

    /** The queued requests, in play order. */
    public synchronized List<PlayItem> queue() {
        return List.copyOf(requests);
    }
}
