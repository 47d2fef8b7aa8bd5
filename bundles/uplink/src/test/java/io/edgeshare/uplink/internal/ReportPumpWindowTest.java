package io.edgeshare.uplink.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The report window leaves room under the broker's receive maximum for what is sent now or never. */
class ReportPumpWindowTest {

    @Test
    void aBrokerThatAnnouncesTwentyKeepsTwoSlotsFree() {
        // Mosquitto announces max_inflight_messages (20 by default) as its receive maximum
        assertEquals(18, ReportPump.window(20, 64));
    }

    @Test
    void aLargeReceiveMaximumLeavesTheOutboxWindow() {
        assertEquals(64, ReportPump.window(65_535, 64));
    }

    @Test
    void aSmallReceiveMaximumStillSendsOneReportAtATime() {
        assertEquals(1, ReportPump.window(1, 64));
        assertEquals(1, ReportPump.window(2, 64));
        assertEquals(1, ReportPump.window(3, 64));
        assertEquals(2, ReportPump.window(4, 64));
    }
}
