package io.edgeshare.platform.session.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;

/**
 * The platform nodes sharing a fleet, from their retained entries under {@code {prefix}/platform/nodes/{id}}
 * (each node refreshes its own, its will marks it offline): the leader is the online node with the lowest id.
 * An entry not refreshed for {@code staleNanos} counts as offline (a stale retained "online" cannot block
 * leadership for ever). Plain Java; the session feeds it.
 */
final class Roster {
    /** A node's entry as published. */
    record Entry(String node, String clientId, boolean online) {
    }

    private record Seen(String clientId, boolean online, long atNanos) {
    }

    private static final Gson GSON = new Gson();
    private final String self;
    private final long staleNanos;
    private final LongSupplier nanos;
    private final Map<String, Seen> nodes = new TreeMap<>(); // guarded by this
    private boolean selfOnline; // guarded by this
    private long selfOnlineSince; // guarded by this

    Roster(String self, long staleNanos, LongSupplier nanos) {
        this.self = self;
        this.staleNanos = staleNanos;
        this.nanos = nanos;
    }

    static byte[] encode(Entry e) {
        return GSON.toJson(e).getBytes(StandardCharsets.UTF_8);
    }

    /** @return the entry, or null when the payload is not one (cleared, or garbage) */
    static Entry decode(byte[] payload) {
        if (payload.length == 0) {
            return null;
        }
        try {
            Entry e = GSON.fromJson(new String(payload, StandardCharsets.UTF_8), Entry.class);
            return e == null || e.node() == null || e.clientId() == null ? null : e;
        } catch (JsonParseException e) {
            return null;
        }
    }

    /** This node connected (true) or lost the broker. */
    synchronized void self(boolean online) {
        if (online && !selfOnline) {
            selfOnlineSince = nanos.getAsLong();
        }
        selfOnline = online;
    }

    /** Another node's entry arrived. @return whether it went from online to offline (its session may hold work) */
    synchronized boolean seen(Entry e) {
        if (e.node().equals(self)) {
            return false;
        }
        Seen old = nodes.put(e.node(), new Seen(e.clientId(), e.online(), nanos.getAsLong()));
        return !e.online() && (old == null || old.online());
    }

    synchronized boolean leader() {
        if (!selfOnline) {
            return false;
        }
        long now = nanos.getAsLong();
        for (Map.Entry<String, Seen> n : nodes.entrySet()) {
            if (n.getKey().compareTo(self) < 0 && live(n.getValue(), now)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Nodes that stopped refreshing (killed while the broker could not send their will): marked offline now.
     * @return their client ids
     */
    synchronized List<String> expire() {
        List<String> gone = new ArrayList<>();
        long now = nanos.getAsLong();
        if (!selfOnline || now - selfOnlineSince < staleNanos) {
            return gone; // we may just not have heard them yet
        }
        for (Map.Entry<String, Seen> n : nodes.entrySet()) {
            Seen s = n.getValue();
            if (s.online() && !live(s, now)) {
                n.setValue(new Seen(s.clientId(), false, s.atNanos()));
                gone.add(s.clientId());
            }
        }
        return gone;
    }

    /** Client ids of the nodes known offline (whose sessions a new leader drains). */
    synchronized List<String> offline() {
        return nodes.values().stream().filter(s -> !s.online()).map(Seen::clientId).toList();
    }

    private boolean live(Seen s, long now) {
        return s.online() && now - s.atNanos() < staleNanos;
    }
}
