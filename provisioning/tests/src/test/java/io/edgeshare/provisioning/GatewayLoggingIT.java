package io.edgeshare.provisioning;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway logs through pax-logging-logback (issue 12: log4j2 loaded ~560 classes at every boot) with the
 * profile's {@code logback.xml}, seeded into {@code etc/}: its pattern and per-package levels apply, and a level
 * changed in {@code etc/logback.xml} applies to the running gateway.
 */
class GatewayLoggingIT {
    private static final Path PROFILE = Path.of(System.getProperty("edgeshare.root"), "gateway-config", "home-gateway");
    private static final Pattern CACHE_ACTIVE = Pattern.compile(
            "(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[[^\\]]+\\] ContentCache - Cache edgeshare\\.cache active: ");
    /** A DEBUG line of Jetty's server package: the profile keeps everything but io.edgeshare at WARN. */
    private static final Pattern JETTY_DEBUG = Pattern.compile("(?m)^\\S+ DEBUG \\[[^\\]]+\\] \\S+ - ");

    @Test
    void componentsLogAtInfoInTheProfilePattern(@TempDir Path tmp) throws Exception {
        int http = Runtime.freePort();
        try (Runtime gw = Runtime.start(tmp.resolve("gw"), "gateway", "--profile", "home-gateway",
                "--http-port", String.valueOf(http), "--platform", "tcp://127.0.0.1:" + Runtime.freePort())) {
            DistributionIT.curl("http://127.0.0.1:" + http + "/api/status", 90, gw);
            Ops.await("the cache's INFO line in the profile's pattern", 30, () -> CACHE_ACTIVE.matcher(gw.log()).find(), gw);
        }
    }

    @Test
    void aLevelRaisedInEtcLogbackXmlAppliesWithoutARestart(@TempDir Path tmp) throws Exception {
        int http = Runtime.freePort();
        String health = "http://127.0.0.1:" + http + "/health/live";
        try (Runtime gw = Runtime.start(tmp.resolve("gw"), "gateway", "--profile", "home-gateway",
                "--http-port", String.valueOf(http), "--platform", "tcp://127.0.0.1:" + Runtime.freePort())) {
            DistributionIT.curl(health, 90, gw);
            DistributionIT.curl(health, 10, gw);
            assertFalse(JETTY_DEBUG.matcher(gw.log()).find(), "DEBUG lines before the change:\n" + gw.log());
            long pid = gw.pid();

            Ops.edit(PROFILE, gw.instance.resolve("etc"), "logback.xml", "<logger name=\"io.edgeshare\" level=\"INFO\"/>",
                    "<logger name=\"io.edgeshare\" level=\"INFO\"/>\n  <logger name=\"org.eclipse.jetty.server\" level=\"DEBUG\"/>");

            Ops.await("Jetty's DEBUG lines after the level change", 60, () -> {
                DistributionIT.curl(health, 10, gw);
                return JETTY_DEBUG.matcher(gw.log()).find() && gw.process.isAlive() && gw.pid() == pid;
            }, gw);
        }
    }
}
