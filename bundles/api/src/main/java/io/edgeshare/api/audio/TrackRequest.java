package io.edgeshare.api.audio;

import java.util.Objects;

/**
 * A listener's on-demand request for a named track (claim B4).
 *
 * @param id       request id, used in URLs
 * @param query    what the listener asked for
 * @param title    the track found, or empty while searching
 * @param source   {@code local} (the gateway's library) or {@code network} (the catalog), empty while searching
 * @param state    {@link #SEARCHING}, {@link #QUEUED}, {@link #PLAYING}, {@link #PLAYED} or {@link #FAILED}
 * @param position place in the queue, 1 = plays next; 0 when not queued
 * @param detail   why it failed, or empty
 */
public record TrackRequest(String id, String query, String title, String source, String state, int position,
        String detail) {
    public static final String SEARCHING = "searching";
    public static final String QUEUED = "queued";
    public static final String PLAYING = "playing";
    public static final String PLAYED = "played";
    public static final String FAILED = "failed";

    public TrackRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
    }
}
