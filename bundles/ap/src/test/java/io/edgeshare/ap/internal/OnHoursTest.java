package io.edgeshare.ap.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalTime;

import org.junit.jupiter.api.Test;

class OnHoursTest {

    @Test
    void noWindowMeansAlways() {
        assertTrue(OnHours.parse(new String[0]).isOn(LocalTime.of(3, 0)));
    }

    @Test
    void dayWindowIncludesStartExcludesEnd() {
        OnHours h = OnHours.parse(new String[] { "08:00-22:00" });
        assertTrue(h.isOn(LocalTime.of(8, 0)));
        assertTrue(h.isOn(LocalTime.of(21, 59)));
        assertFalse(h.isOn(LocalTime.of(22, 0)));
        assertFalse(h.isOn(LocalTime.of(7, 59)));
    }

    @Test
    void windowMayWrapPastMidnight() {
        OnHours h = OnHours.parse(new String[] { "22:00-02:00" });
        assertTrue(h.isOn(LocalTime.of(23, 30)));
        assertTrue(h.isOn(LocalTime.of(1, 0)));
        assertFalse(h.isOn(LocalTime.of(12, 0)));
    }

    @Test
    void endOfDayMayBeWritten2400() {
        assertTrue(OnHours.parse(new String[] { "18:00-24:00" }).isOn(LocalTime.of(23, 59)));
    }

    @Test
    void malformedWindowIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> OnHours.parse(new String[] { "8-22" }));
        assertThrows(IllegalArgumentException.class, () -> OnHours.parse(new String[] { "24:00-25:00" }));
    }
}
