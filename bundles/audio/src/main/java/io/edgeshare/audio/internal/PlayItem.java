package io.edgeshare.audio.internal;

import java.nio.file.Path;

/**
 * One thing the channel plays from start to end: a playlist song, a requested track, a broadcast break,
 * or a session of the named pipe.
 *
 * @param kind      what it is
 * @param file      the MP3 file, or the pipe
 * @param title     shown in status and ICY metadata
 * @param requestId the on-demand request it fulfils, or null
 */
public record PlayItem(Kind kind, Path file, String title, String requestId) {

    public enum Kind { SONG, REQUEST, BREAK, PIPE }

    public boolean interstitial() {
        return kind == Kind.BREAK;
    }

    /** The title as listeners see it; breaks are marked as such (claim B9). */
    public String displayTitle() {
        return kind == Kind.BREAK ? "[Break] " + title : title;
    }
}
