package io.edgeshare.audio.internal.library;

import java.nio.file.Path;

import io.edgeshare.audio.internal.mp3.TrackTags;

/** A playable file and how to show it. */
public record Track(Path file, String title, TrackTags tags) {

    /** The track with its title from its tags, else from the file name. */
    public static Track of(Path file) {
        TrackTags tags = TrackTags.read(file);
        return new Track(file, tags.display(baseName(file)), tags);
    }

    public static Track of(Path file, String titleFallback) {
        TrackTags tags = TrackTags.read(file);
        return new Track(file, tags.display(titleFallback == null || titleFallback.isBlank() ? baseName(file)
                : titleFallback), tags);
    }

    static String baseName(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return (dot > 0 ? n.substring(0, dot) : n).replace('_', ' ');
    }
}
