package io.edgeshare.audio.internal.http;

import java.util.List;
import java.util.Optional;

import io.edgeshare.audio.internal.LiveChannel;

/** Finds a channel by id among the ones registered now. */
final class Channels {

    private Channels() {
    }

    static Optional<LiveChannel> find(List<LiveChannel> channels, String id) {
        for (LiveChannel c : channels) {
            if (c.id().equals(id)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Path segments after the servlet path, without empty ones: "/main/join/x" gives [main, join, x]. */
    static List<String> segments(String pathInfo) {
        if (pathInfo == null) {
            return List.of();
        }
        return java.util.Arrays.stream(pathInfo.split("/")).filter(s -> !s.isEmpty()).toList();
    }
}
