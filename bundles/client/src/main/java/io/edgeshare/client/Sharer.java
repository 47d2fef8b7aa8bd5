package io.edgeshare.client;

import java.util.List;
import java.util.Set;

/**
 * A gateway that shares content, as the client found it.
 *
 * @param deviceId   its device id (may be empty when only its URL is known)
 * @param name       the name it shows people
 * @param baseUrl    its HTTP base URL, without a trailing slash
 * @param distanceM  metres from where we asked, or {@code NaN} when unknown
 * @param sources    how it was found: {@code url}, {@code gateway}, {@code platform}, {@code mdns}, {@code radio}
 * @param contentIds the item ids it lists, when known (empty otherwise)
 * @param channels   its audio channel ids, when known
 */
public record Sharer(String deviceId, String name, String baseUrl, double distanceM, Set<String> sources,
        List<String> contentIds, List<String> channels) {
    public Sharer {
        // names come from peers: no control characters reach the user's terminal
        deviceId = Printable.of(deviceId);
        name = Printable.of(name);
        sources = Set.copyOf(sources);
        contentIds = List.copyOf(contentIds);
        channels = List.copyOf(channels);
        while (baseUrl.endsWith("/")) {
            baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
        }
    }
}
