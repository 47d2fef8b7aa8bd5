package io.edgeshare.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AdminAddressesTest {

    @Test
    void loopbackDefaultAdmitsBothFamiliesInAnySpelling() {
        AdminAddresses a = AdminAddresses.parse("127.0.0.1,::1");
        assertTrue(a.admits("127.0.0.1"));
        assertTrue(a.admits("0:0:0:0:0:0:0:1"));
        assertTrue(a.admits("[::1]"));
        assertFalse(a.admits("127.0.0.2"));
        assertFalse(a.admits(null));
    }

    @Test
    void hostNamesAreRefusedNotLookedUp() {
        assertThrows(IllegalArgumentException.class, () -> AdminAddresses.parse("localhost"));
        assertFalse(AdminAddresses.parse("127.0.0.1").admits("localhost"));
    }

    @Test
    void starAdmitsAnyone() {
        assertTrue(AdminAddresses.parse("*").admits("192.0.2.7"));
    }
}
