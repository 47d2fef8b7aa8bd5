package io.edgeshare.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which file in etc/ the launcher hands to pax-logging (org.ops4j.pax.logging.property.file). */
class LoggingConfigurationTest {

    @Test
    void aGatewayInstanceSeededBeforeLogbackUsesItsLogbackXml(@TempDir Path etc) throws Exception {
        Files.writeString(etc.resolve("log4j2.properties"), "rootLogger.level = warn\n");
        Files.writeString(etc.resolve("logback.xml"), "<configuration/>\n");
        assertEquals(etc.resolve("logback.xml"), Launcher.loggingConfiguration(etc));
    }

    @Test
    void thePlatformKeepsItsLog4j2Properties(@TempDir Path etc) throws Exception {
        Files.writeString(etc.resolve("log4j2.properties"), "rootLogger.level = warn\n");
        assertEquals(etc.resolve("log4j2.properties"), Launcher.loggingConfiguration(etc));
    }

    @Test
    void noConfigurationLeavesPaxLoggingItsDefault(@TempDir Path etc) {
        assertNull(Launcher.loggingConfiguration(etc));
    }
}
