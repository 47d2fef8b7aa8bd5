package io.edgeshare.ap.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import io.edgeshare.api.ap.Station;

/**
 * The demo's radio: phones join and leave at random, and a few simulated sharers come into range. Chosen only
 * by {@code backend = simulated}; everything it reports says {@code simulated}.
 */
final class SimulatedRadio implements Radio {
    /** Chance per poll that a phone joins, and that one leaves. */
    private static final double JOIN = 0.15;
    private static final double LEAVE = 0.08;

    private final Random random;
    private final Clock clock;
    private final Instant started;
    private final Map<String, Instant> stations = new LinkedHashMap<>();
    private ApSettings settings;
    private boolean up;

    SimulatedRadio(long seed, Clock clock) {
        this.random = new Random(seed);
        this.clock = clock;
        this.started = clock.instant();
    }

    @Override
    public String name() {
        return ApSettings.SIMULATED;
    }

    @Override
    public synchronized void apply(ApSettings s, SharingMarker marker) throws RadioException {
        settings = s;
        up = true;
    }

    @Override
    public synchronized void down() {
        up = false;
        stations.clear();
    }

    @Override
    public synchronized void up() {
        up = settings != null;
    }

    @Override
    public synchronized boolean isUp() {
        return up;
    }

    /** Each call is one step of the simulation. */
    @Override
    public synchronized List<Station> stations() {
        if (!up) {
            return List.of();
        }
        if (random.nextDouble() < JOIN) {
            stations.put(randomMac(), clock.instant());
        }
        if (!stations.isEmpty() && random.nextDouble() < LEAVE) {
            List<String> macs = new ArrayList<>(stations.keySet());
            stations.remove(macs.get(random.nextInt(macs.size())));
        }
        Instant now = clock.instant();
        List<Station> out = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Instant> e : stations.entrySet()) {
            long secs = Math.max(0, now.getEpochSecond() - e.getValue().getEpochSecond());
            out.add(new Station(e.getKey(), -40 - (i++ * 7) % 45, secs, secs * 1200, secs * 48_000));
        }
        return out;
    }

    /** Simulated phones: a locally administered MAC (second-lowest bit of the first byte set). */
    private String randomMac() {
        byte[] b = new byte[6];
        random.nextBytes(b);
        b[0] = (byte) ((b[0] & 0xfc) | 0x02);
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(s.length() == 0 ? "" : ":").append(String.format(Locale.ROOT, "%02x", x & 0xff));
        }
        return s.toString();
    }

    @Override
    public synchronized boolean deauthenticate(String mac) {
        return stations.remove(mac) != null;
    }

    /** Two simulated sharers: one from the start, one a minute later. */
    @Override
    public synchronized List<RadioSighting> sightings() {
        List<RadioSighting> out = new ArrayList<>();
        out.add(new RadioSighting("sim-cafe", "Cafe share" + SharingMarker.SSID_SUFFIX, 3, -61));
        if (clock.instant().isAfter(started.plusSeconds(60))) {
            out.add(new RadioSighting("sim-kiosk", "Kiosk" + SharingMarker.SSID_SUFFIX, 12, -74));
        }
        return out;
    }

    @Override
    public synchronized void close() {
        up = false;
        stations.clear();
    }
}
