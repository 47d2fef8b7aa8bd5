package io.edgeshare.ap.internal;

import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** When the AP is on: {@code HH:MM-HH:MM} windows, which may wrap past midnight; none means always. */
record OnHours(List<int[]> windows) {
    private static final Pattern WINDOW = Pattern.compile("([01]\\d|2[0-3]):([0-5]\\d)-([01]\\d|2[0-3]|24):([0-5]\\d)");

    static final OnHours ALWAYS = new OnHours(List.of());

    static OnHours parse(String[] specs) {
        List<int[]> w = new ArrayList<>();
        for (String s : specs) {
            Matcher m = WINDOW.matcher(s.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("on.hours: '" + s + "' is not HH:MM-HH:MM");
            }
            int from = Integer.parseInt(m.group(1)) * 60 + Integer.parseInt(m.group(2));
            int to = Integer.parseInt(m.group(3)) * 60 + Integer.parseInt(m.group(4));
            if (to > 24 * 60) {
                throw new IllegalArgumentException("on.hours: '" + s + "' ends after 24:00");
            }
            w.add(new int[] { from, to });
        }
        return new OnHours(List.copyOf(w));
    }

    boolean isOn(LocalTime t) {
        if (windows.isEmpty()) {
            return true;
        }
        int minute = t.getHour() * 60 + t.getMinute();
        for (int[] w : windows) {
            boolean in = w[0] <= w[1] ? minute >= w[0] && minute < w[1] : minute >= w[0] || minute < w[1];
            if (in) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof OnHours other) || other.windows.size() != windows.size()) {
            return false;
        }
        for (int i = 0; i < windows.size(); i++) {
            if (!java.util.Arrays.equals(windows.get(i), other.windows.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return windows.stream().mapToInt(java.util.Arrays::hashCode).sum();
    }
}
