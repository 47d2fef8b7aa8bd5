package io.edgeshare.uplink.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

class UplinkWaitingNoticeTest {

    @Test
    void namesTheIdentityPidOfAGatewayNotEnrolled() {
        assertEquals("PID edgeshare.identity key device.id",
                UplinkWaitingNotice.missing(Map.of("broker.uri", "tcp://platform:1883")));
    }

    @Test
    void namesBothPidsWhenNothingIsConfigured() {
        assertEquals("PID edgeshare.identity key device.id and PID edgeshare.uplink key broker.uri",
                UplinkWaitingNotice.missing(Map.of()));
    }

    @Test
    void saysNothingOnceBothAreThere() {
        assertEquals("", UplinkWaitingNotice.missing(Map.of("device.id", "gw-1", "broker.uri", "tcp://p:1883")));
    }
}
