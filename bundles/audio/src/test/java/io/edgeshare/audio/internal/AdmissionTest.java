package io.edgeshare.audio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import io.edgeshare.api.audio.JoinRequest;

class AdmissionTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void openAdmitsEveryone() {
        Admission a = new Admission(Admission.Mode.OPEN, 1, clock);
        assertTrue(a.admit(null, 1000).admitted());
        assertEquals(JoinRequest.APPROVED, a.request("x", 1000).state());
    }

    @Test
    void cappedRefusesOverTheCapWith503() {
        Admission a = new Admission(Admission.Mode.CAPPED, 2, clock);
        assertTrue(a.admit(null, 1).admitted());
        Admission.Decision d = a.admit(null, 2);
        assertFalse(d.admitted());
        assertEquals(503, d.httpStatus());
        assertTrue(d.reason().contains("full"), d.reason());
        assertEquals(JoinRequest.DECLINED, a.request("x", 2).state());
    }

    @Test
    void approveModeNeedsTheOwnersApprovalAndItsTicket() {
        Admission a = new Admission(Admission.Mode.APPROVE, 0, clock);
        assertEquals(403, a.admit(null, 0).httpStatus());
        JoinRequest r = a.request("phone", 0);
        assertEquals(JoinRequest.PENDING, r.state());
        assertEquals("", r.ticket(), "no ticket before approval");
        assertEquals(1, a.list().size());
        assertTrue(a.decide(r.id(), true).isPresent());
        String ticket = a.get(r.id()).orElseThrow().ticket();
        assertFalse(ticket.isEmpty());
        assertEquals("", a.list().get(0).ticket(), "the owner's list does not leak tickets");
        assertTrue(a.admit(ticket, 0).admitted());
        assertFalse(a.admit("not-the-ticket", 0).admitted());
        a.decide(r.id(), false);
        assertFalse(a.ticketValid(ticket), "withdrawn");
        assertEquals(403, a.admit(ticket, 0).httpStatus());
        assertTrue(a.decide("unknown", true).isEmpty());
    }

    @Test
    void switchingModesAppliesToNewListeners() {
        Admission a = new Admission(Admission.Mode.OPEN, 0, clock);
        a.configure(Admission.Mode.CAPPED, 1);
        assertFalse(a.admit(null, 1).admitted());
        a.configure(Admission.Mode.OPEN, 1);
        assertTrue(a.admit(null, 1).admitted());
    }

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void pendingJoinRequestsAreCappedPerChannel() {
        Admission a = new Admission(Admission.Mode.APPROVE, 0, clock);
        for (int i = 0; i < Admission.MAX_PENDING; i++) {
            a.request("phone-" + i, 0);
        }
        org.junit.jupiter.api.Assertions.assertThrows(Admission.TooManyRequests.class, () -> a.request("one-more", 0));
    }

    @Test
    void pendingJoinRequestsExpireAndAreThenForgotten() {
        MovingClock moving = new MovingClock();
        Admission a = new Admission(Admission.Mode.APPROVE, 0, moving);
        JoinRequest r = a.request("phone", 0);
        moving.now = moving.now.plus(Admission.TTL).plusSeconds(1);
        assertEquals(JoinRequest.EXPIRED, a.list().get(0).state());
        moving.now = moving.now.plus(Admission.TTL);
        assertTrue(a.list().isEmpty(), "forgotten");
        assertTrue(a.get(r.id()).isEmpty());
    }

    @Test
    void openModeRequestsAreForgottenAfterTheirTime() {
        MovingClock moving = new MovingClock();
        Admission a = new Admission(Admission.Mode.OPEN, 0, moving);
        for (int i = 0; i < 10; i++) {
            a.request("phone-" + i, 0);
        }
        moving.now = moving.now.plus(Admission.TTL).plusSeconds(1);
        assertTrue(a.list().isEmpty());
    }
}
