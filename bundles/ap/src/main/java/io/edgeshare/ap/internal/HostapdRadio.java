package io.edgeshare.ap.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.api.ap.Station;

/**
 * A Linux access point run by hostapd: writes {@code hostapd.conf} atomically (owner-only: it holds the
 * passphrase), runs hostapd as a child process and steers it through its control interface. A change that
 * hostapd refuses is rolled back to the previous file, so the previous setup keeps serving.
 */
final class HostapdRadio implements Radio {
    private static final Logger LOG = LoggerFactory.getLogger(HostapdRadio.class);
    private static final long START_TIMEOUT_MS = 10_000;

    private final Path confDir;
    private final Runnable onEvent;
    private final Deque<String> lastOutput = new ArrayDeque<>();
    private long outputLines;
    private Process hostapd;
    private Process events;
    private ApSettings running;
    private String runningConf;
    private HostapdControl control;

    /** @param onEvent called on each hostapd event (a station joined, the AP went down ...) */
    HostapdRadio(Path confDir, Runnable onEvent) {
        this.confDir = confDir;
        this.onEvent = onEvent;
    }

    @Override
    public String name() {
        return ApSettings.HOSTAPD;
    }

    Path confFile() {
        return confDir.resolve("hostapd.conf");
    }

    @Override
    public synchronized void apply(ApSettings s, SharingMarker marker) throws RadioException {
        String conf;
        try {
            conf = HostapdConf.render(s, marker, s.ctrlDir());
        } catch (IllegalArgumentException e) {
            throw new RadioException(e.getMessage());
        }
        boolean restart = running == null || !alive() || !s.interfaceName().equals(running.interfaceName())
                || !s.netns().equals(running.netns()) || !s.ctrlDir().equals(running.ctrlDir())
                || !s.driver().equals(running.driver());
        if (conf.equals(runningConf) && !restart) {
            return;
        }
        ApSettings previous = running;
        String previousConf = runningConf;
        try {
            writeConf(conf);
            if (restart) {
                stopProcess();
                start(s);
            } else {
                reload(s);
            }
            running = s;
            runningConf = conf;
        } catch (RadioException e) {
            if (previous != null && previousConf != null) {
                restore(previous, previousConf, restart);
            }
            throw e;
        }
    }

    private void restore(ApSettings previous, String previousConf, boolean restarted) {
        try {
            writeConf(previousConf);
            if (!restarted && alive()) {
                reload(previous);
            } else {
                stopProcess();
                start(previous);
            }
            LOG.info("edgeshare.ap: the previous hostapd setup ({}) is running again", previous.ssid());
        } catch (RadioException e) {
            LOG.error("edgeshare.ap: the previous hostapd setup could not be restored either: {}", e.getMessage());
            running = null;
            runningConf = null;
        }
    }

    private void start(ApSettings s) throws RadioException {
        List<String> cmd = new ArrayList<>();
        if (!s.netns().isEmpty()) {
            cmd.addAll(List.of("ip", "netns", "exec", s.netns()));
        }
        cmd.addAll(List.of("hostapd", confFile().toString()));
        try {
            Files.createDirectories(Path.of(s.ctrlDir()));
            synchronized (lastOutput) {
                lastOutput.clear();
            }
            hostapd = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new RadioException("hostapd could not be started: " + e.getMessage());
        }
        Process p = hostapd;
        Thread reader = new Thread(() -> drain(p), "edgeshare-ap-hostapd-output");
        reader.setDaemon(true);
        reader.start();
        control = new HostapdControl(s.ctrlDir(), s.interfaceName());
        awaitEnabled(s, p, 0);
        try {
            events = control.attach(line -> onEvent.run());
        } catch (IOException e) {
            LOG.warn("edgeshare.ap: hostapd events not followed ({}); stations are still polled", e.getMessage());
        }
        LOG.info("edgeshare.ap: hostapd serves '{}' on {} (pid {})", s.broadcastSsid(), s.interfaceName(), p.pid());
    }

    /**
     * SIGHUP makes hostapd read hostapd.conf again (the RELOAD command only restarts the interface with the
     * configuration it has). A file it cannot read leaves the old configuration running and prints why.
     */
    private void reload(ApSettings s) throws RadioException {
        long mark = outputSeq();
        try {
            Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(hostapd.pid())).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new RadioException("hostapd could not be signalled to reload");
            }
            // hostapd handles a pending signal before its next control request, so PING orders the two
            control.request("PING");
        } catch (IOException e) {
            throw new RadioException(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RadioException("interrupted while hostapd reloaded");
        }
        awaitEnabled(s, hostapd, mark);
        LOG.info("edgeshare.ap: hostapd reloaded, serves '{}'", s.broadcastSsid());
    }

    /** Waits until hostapd says ENABLED with our SSID, or fails with what hostapd printed. */
    private void awaitEnabled(ApSettings s, Process p, long mark) throws RadioException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new RadioException("hostapd exited (" + p.exitValue() + "): " + recentOutput());
            }
            String refused = refusalSince(mark);
            if (!refused.isEmpty()) {
                throw new RadioException("hostapd refused the configuration: " + refused);
            }
            try {
                Map<String, String> st = control.status();
                last = "state " + st.getOrDefault("state", "?");
                if ("ENABLED".equals(st.get("state"))
                        && s.broadcastSsid().equals(HostapdControl.ssidText(st.getOrDefault("ssid[0]", "")))) {
                    settle(mark);
                    return;
                }
            } catch (IOException e) {
                last = e.getMessage();
            }
            try {
                p.waitFor(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RadioException("interrupted while hostapd started");
            }
        }
        throw new RadioException("hostapd not serving after " + START_TIMEOUT_MS + " ms (" + last + "): "
                + recentOutput());
    }

    private void writeConf(String conf) throws RadioException {
        try {
            Files.createDirectories(confDir);
            Path tmp = confDir.resolve("hostapd.conf.tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(StandardCharsets.UTF_8.encode(conf));
                ch.force(true);
            }
            Files.move(tmp, confFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | UnsupportedOperationException e) {
            throw new RadioException("hostapd.conf could not be written in " + confDir + ": " + e.getMessage());
        }
    }

    private void drain(Process p) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null;) {
                LOG.debug("hostapd: {}", line);
                synchronized (lastOutput) {
                    outputLines++;
                    lastOutput.addLast(line);
                    while (lastOutput.size() > 20) {
                        lastOutput.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // hostapd ended
        }
    }

    /** After a reload: hostapd's complaint may reach its output just after its STATUS answer. */
    private void settle(long mark) throws RadioException {
        if (mark == 0) {
            return;
        }
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        while (System.nanoTime() < until) {
            String refused = refusalSince(mark);
            if (!refused.isEmpty()) {
                throw new RadioException("hostapd refused the configuration: " + refused);
            }
            try {
                hostapd.waitFor(20, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private long outputSeq() {
        synchronized (lastOutput) {
            return outputLines;
        }
    }

    /** hostapd's complaint about a configuration file, printed after output line {@code mark}. */
    private String refusalSince(long mark) {
        synchronized (lastOutput) {
            long first = outputLines - lastOutput.size();
            long i = first;
            StringBuilder b = new StringBuilder();
            for (String line : lastOutput) {
                if (i++ >= mark && (line.contains("Failed to read new configuration") || line.contains("errors found")
                        || line.startsWith("Line ") || line.contains("Could not") || line.contains("Invalid"))) {
                    b.append(b.length() == 0 ? "" : " | ").append(line);
                }
            }
            return b.toString();
        }
    }

    private String recentOutput() {
        synchronized (lastOutput) {
            return lastOutput.isEmpty() ? "(no output)" : String.join(" | ", lastOutput);
        }
    }

    private boolean alive() {
        return hostapd != null && hostapd.isAlive();
    }

    /**
     * {@code SET vendor_elements} + {@code UPDATE_BEACON}: the beacon changes, nobody is disconnected; the file
     * is rewritten too so a restart keeps the marker. A driver without beacons (wired) refuses UPDATE_BEACON,
     * which changes nothing for it.
     */
    @Override
    public synchronized void refreshMarker(SharingMarker marker) throws RadioException {
        if (running == null || !alive()) {
            return;
        }
        String conf = HostapdConf.render(running, marker, running.ctrlDir());
        if (conf.equals(runningConf)) {
            return;
        }
        writeConf(conf);
        runningConf = conf;
        try {
            if (!control.ok("SET", "vendor_elements", marker.vendorElementHex())) {
                throw new RadioException("hostapd refused the new vendor element");
            }
            if (!control.ok("UPDATE_BEACON")) {
                LOG.debug("edgeshare.ap: UPDATE_BEACON refused (driver {}); the marker applies at the next start",
                        running.driver());
            }
        } catch (IOException e) {
            throw new RadioException(e.getMessage());
        }
    }

    @Override
    public synchronized void down() throws RadioException {
        command("DISABLE");
    }

    @Override
    public synchronized void up() throws RadioException {
        command("ENABLE");
    }

    private void command(String... c) throws RadioException {
        if (!alive()) {
            throw new RadioException("hostapd is not running");
        }
        try {
            if (!control.ok(c)) {
                throw new RadioException("hostapd refused " + String.join(" ", c));
            }
        } catch (IOException e) {
            throw new RadioException(e.getMessage());
        }
    }

    @Override
    public synchronized boolean isUp() {
        if (!alive()) {
            return false;
        }
        try {
            return "ENABLED".equals(control.status().get("state"));
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public synchronized List<Station> stations() throws RadioException {
        if (!alive()) {
            return List.of();
        }
        try {
            return control.allStations();
        } catch (IOException e) {
            throw new RadioException(e.getMessage());
        }
    }

    @Override
    public synchronized boolean deauthenticate(String mac) throws RadioException {
        if (stations().stream().noneMatch(st -> st.mac().equals(mac))) {
            return false;
        }
        command("DEAUTHENTICATE", mac);
        return true;
    }

    @Override
    public List<RadioSighting> sightings() {
        ApSettings s = running;
        if (s == null || s.scanInterface().isEmpty()) {
            return List.of();
        }
        return WirelessScan.scan(s.netns(), s.scanInterface());
    }

    private void stopProcess() {
        if (events != null) {
            events.destroy();
            events = null;
        }
        if (hostapd != null) {
            hostapd.destroy();
            try {
                if (!hostapd.waitFor(5, TimeUnit.SECONDS)) {
                    hostapd.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            hostapd = null;
        }
    }

    @Override
    public synchronized void close() {
        stopProcess();
        running = null;
        runningConf = null;
    }
}
