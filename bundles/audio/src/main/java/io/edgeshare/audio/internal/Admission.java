package io.edgeshare.audio.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.edgeshare.api.audio.JoinRequest;

/**
 * Who may listen (claims B1, B2, B8): open, capped at a number of listeners, or each request approved by
 * the owner. A join request gets an id and, once approved, a ticket the listener presents on the stream
 * URL. Thread-safe.
 */
public final class Admission {

    public enum Mode { OPEN, CAPPED, APPROVE }

    /** The outcome of an attempt to start listening. */
    public record Decision(boolean admitted, int httpStatus, String code, String reason) {
        static final Decision ADMIT = new Decision(true, 200, "", "admitted");
        public static final Decision ADMIT_OK = ADMIT;
    }

    /** Join requests remembered per channel, and of those at most this many waiting for the owner. */
    static final int MAX_REMEMBERED = 1000;
    static final int MAX_PENDING = 100;
    /** A pending request expires after this; in open and capped modes every request is forgotten after it. */
    static final Duration TTL = Duration.ofMinutes(10);

    /** Too many join requests are open on this channel: answer 503 with Retry-After. */
    public static final class TooManyRequests extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooManyRequests(String message) {
            super(message, null, false, false);
        }
    }

    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final Map<String, Entry> requests = new LinkedHashMap<>();
    private Mode mode;
    private int maxListeners;

    private static final class Entry {
        final String id;
        final String client;
        final Instant at;
        final String ticket;
        String state;

        Entry(String id, String client, Instant at, String ticket, String state) {
            this.id = id;
            this.client = client;
            this.at = at;
            this.ticket = ticket;
            this.state = state;
        }

        JoinRequest view(boolean withTicket) {
            return new JoinRequest(id, client, at, state, withTicket && state.equals(JoinRequest.APPROVED) ? ticket : "");
        }
    }

    public Admission(Mode mode, int maxListeners, Clock clock) {
        this.mode = mode;
        this.maxListeners = maxListeners;
        this.clock = clock;
    }

    public synchronized void configure(Mode newMode, int newMax) {
        this.mode = newMode;
        this.maxListeners = newMax;
    }

    public synchronized Mode mode() {
        return mode;
    }

    public synchronized int maxListeners() {
        return maxListeners;
    }

    /** Decides whether a client presenting {@code ticket} (may be null) may start listening now. */
    public synchronized Decision admit(String ticket, int currentListeners) {
        if (mode == Mode.APPROVE) {
            Entry e = ticket == null ? null : byTicket(ticket);
            if (e == null) {
                return new Decision(false, 403, "approval-required", "this channel admits listeners the owner approved: "
                        + "POST a join request first and present its ticket");
            }
            if (!e.state.equals(JoinRequest.APPROVED)) {
                return new Decision(false, 403, "not-approved", "join request " + e.id + " is " + e.state);
            }
        }
        if (mode != Mode.OPEN && maxListeners > 0 && currentListeners >= maxListeners) {
            return new Decision(false, 503, "full", "channel is full: " + maxListeners + " listeners");
        }
        return Decision.ADMIT;
    }

    /** Whether the ticket still entitles its holder to listen (an approval can be withdrawn). */
    public synchronized boolean ticketValid(String ticket) {
        if (mode != Mode.APPROVE) {
            return true;
        }
        Entry e = ticket == null ? null : byTicket(ticket);
        return e != null && e.state.equals(JoinRequest.APPROVED);
    }

    /** A client asks to join (claim B1). In open and capped modes the answer is immediate. */
    public synchronized JoinRequest request(String client, int currentListeners) {
        expire();
        long pending = requests.values().stream().filter(e -> e.state.equals(JoinRequest.PENDING)).count();
        if ((mode == Mode.APPROVE && pending >= MAX_PENDING) || requests.size() >= MAX_REMEMBERED) {
            throw new TooManyRequests("too many open join requests on this channel; try again later");
        }
        String id = hex(8);
        String state;
        if (mode == Mode.APPROVE) {
            state = JoinRequest.PENDING;
        } else if (mode == Mode.CAPPED && maxListeners > 0 && currentListeners >= maxListeners) {
            state = JoinRequest.DECLINED;
        } else {
            state = JoinRequest.APPROVED;
        }
        Entry e = new Entry(id, client, clock.instant(), hex(16), state);
        requests.put(id, e);
        return e.view(true);
    }

    /** The request as its owner sees it (with the ticket once approved). */
    public synchronized Optional<JoinRequest> get(String id) {
        Entry e = requests.get(id);
        return e == null ? Optional.empty() : Optional.of(e.view(true));
    }

    /** All remembered requests, oldest first, without tickets (the owner's view). */
    public synchronized List<JoinRequest> list() {
        expire();
        List<JoinRequest> out = new ArrayList<>();
        for (Entry e : requests.values()) {
            out.add(e.view(false));
        }
        return out;
    }

    /** The owner approves or declines (or withdraws an approval); empty when the id is unknown. */
    public synchronized Optional<JoinRequest> decide(String id, boolean approve) {
        Entry e = requests.get(id);
        if (e == null) {
            return Optional.empty();
        }
        e.state = approve ? JoinRequest.APPROVED : JoinRequest.DECLINED;
        return Optional.of(e.view(false));
    }

    private Entry byTicket(String ticket) {
        for (Entry e : requests.values()) {
            if (java.security.MessageDigest.isEqual(e.ticket.getBytes(), ticket.getBytes())) {
                return e;
            }
        }
        return null;
    }

    private void expire() {
        Instant cutoff = clock.instant().minus(TTL);
        Instant forget = cutoff.minus(TTL);
        for (Iterator<Entry> it = requests.values().iterator(); it.hasNext();) {
            Entry e = it.next();
            if (e.state.equals(JoinRequest.PENDING) && e.at.isBefore(cutoff)) {
                e.state = JoinRequest.EXPIRED;
            }
            // an approval is the listening right only in approve mode; anything else is forgotten in time
            boolean keep = mode == Mode.APPROVE && e.state.equals(JoinRequest.APPROVED);
            if (!keep && (mode != Mode.APPROVE ? e.at.isBefore(cutoff) : e.at.isBefore(forget))) {
                it.remove();
            }
        }
        Iterator<Entry> it = requests.values().iterator();
        while (requests.size() > MAX_REMEMBERED && it.hasNext()) {
            Entry e = it.next();
            if (!e.state.equals(JoinRequest.APPROVED)) {
                it.remove();
            }
        }
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
