package io.edgeshare.platform.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.edgeshare.api.fleet.GatewayReport;

class ReportSummaryTest {
    private static final Instant AT = Instant.parse("2026-12-01T13:00:00Z");

    private static ReportSummary of(String document) {
        return ReportSummary.of(new GatewayReport("gw-1", AT, document));
    }

    @Test
    void readsBytesSavedListenersAndPolicyGeneration() {
        ReportSummary s = of("{\"bytesSaved\": 734003200, \"sources\": {"
                + "\"audio\": {\"metrics\": {\"listeners\": 3}}, \"cache\": {\"metrics\": {\"hit.ratio\": 0.9}},"
                + "\"policy\": {\"metrics\": {\"generation.running\": 4}}}}");
        assertEquals(Long.valueOf(734003200L), s.bytesSaved());
        assertEquals(Long.valueOf(3), s.listeners());
        assertEquals(Long.valueOf(4), s.policyGeneration());
        assertEquals(AT, s.reportedAt());
    }

    @Test
    void listenersOfSeveralSourcesAreSummed() {
        assertEquals(Long.valueOf(5), of("{\"sources\": {\"a\": {\"metrics\": {\"listeners\": 2}},"
                + " \"b\": {\"metrics\": {\"listeners\": 3}}}}").listeners());
    }

    @Test
    void whatTheReportDoesNotCarryIsNull() {
        ReportSummary s = of("{\"sources\": {\"audio\": {\"metrics\": {\"listeners\": \"many\"}}}}");
        assertNull(s.bytesSaved());
        assertNull(s.listeners());
        assertNull(s.policyGeneration());
    }

    @Test
    void anUnreadableReportGivesOnlyItsTime() {
        ReportSummary s = of("[1, 2");
        assertEquals(AT, s.reportedAt());
        assertNull(s.bytesSaved());
    }

    @Test
    void noReportGivesAnEmptySummary() {
        assertNull(ReportSummary.of(null).reportedAt());
    }
}
