package io.edgeshare.ap.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;

import io.edgeshare.api.ap.AccessPointEvents;
import io.edgeshare.api.ap.Station;

/**
 * Who may stay associated: not a denied MAC, and no more than {@code max.stations} (the newest arrivals are
 * the ones turned away). Tells joins and departures as events. Called from one thread.
 */
final class Admission {
    private final BiPredicate<String, String> disconnect;
    private final BiConsumer<String, Map<String, ?>> events;
    private Set<String> known = new HashSet<>();
    private volatile long refused;
    private volatile long joined;
    private volatile Set<String> deny = Set.of();
    private volatile int max = Integer.MAX_VALUE;

    /** @param disconnect deauthenticates (mac, reason) */
    Admission(BiPredicate<String, String> disconnect, BiConsumer<String, Map<String, ?>> events) {
        this.disconnect = disconnect;
        this.events = events;
    }

    void configure(ApSettings s) {
        deny = s.denyList();
        max = s.maxStations();
    }

    /** @return the stations that stay */
    List<Station> review(List<Station> associated) {
        List<Station> stay = new ArrayList<>();
        List<Station> byAge = new ArrayList<>(associated);
        byAge.sort(Comparator.comparingLong(Station::connectedSeconds).reversed());
        for (Station st : byAge) {
            String reason = deny.contains(st.mac()) ? "denied" : stay.size() >= max ? "full" : "";
            if (!reason.isEmpty()) {
                if (disconnect.test(st.mac(), reason)) {
                    refused++;
                }
                continue;
            }
            stay.add(st);
        }
        Set<String> now = new HashSet<>();
        for (Station st : stay) {
            now.add(st.mac());
            if (!known.contains(st.mac())) {
                joined++;
                events.accept(AccessPointEvents.STATION_JOINED, Map.of(AccessPointEvents.MAC, st.mac()));
            }
        }
        for (String mac : known) {
            if (!now.contains(mac)) {
                events.accept(AccessPointEvents.STATION_LEFT,
                        Map.of(AccessPointEvents.MAC, mac, AccessPointEvents.REASON, "left"));
            }
        }
        known = now;
        return List.copyOf(stay);
    }

    long refused() {
        return refused;
    }

    long joined() {
        return joined;
    }
}
