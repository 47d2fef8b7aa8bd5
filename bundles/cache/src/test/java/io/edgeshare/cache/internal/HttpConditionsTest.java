package io.edgeshare.cache.internal;

import static io.edgeshare.cache.internal.HttpConditions.Result.NOT_MODIFIED;
import static io.edgeshare.cache.internal.HttpConditions.Result.PRECONDITION_FAILED;
import static io.edgeshare.cache.internal.HttpConditions.Result.PROCEED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class HttpConditionsTest {

    private static final String TAG = "\"abc\"";
    private static final Instant LM = Instant.parse("2026-01-02T03:04:05.678Z");
    private static final String LM_TEXT = "Fri, 02 Jan 2026 03:04:05 GMT";

    @Test
    void httpDateDropsFractionsAndRoundTrips() {
        assertEquals(LM_TEXT, HttpConditions.httpDate(LM));
        assertEquals(Instant.parse("2026-01-02T03:04:05Z"), HttpConditions.parseDate(LM_TEXT));
        assertEquals(null, HttpConditions.parseDate("yesterday"));
    }

    @Test
    void ifNoneMatchWinsOverIfModifiedSince() {
        assertEquals(NOT_MODIFIED, HttpConditions.evaluate(null, null, TAG, null, TAG, LM));
        assertEquals(NOT_MODIFIED, HttpConditions.evaluate(null, null, "\"x\", W/\"abc\"", null, TAG, LM));
        assertEquals(NOT_MODIFIED, HttpConditions.evaluate(null, null, "*", null, TAG, LM));
        assertEquals(PROCEED, HttpConditions.evaluate(null, null, "\"other\"", LM_TEXT, TAG, LM));
    }

    @Test
    void ifModifiedSince() {
        assertEquals(NOT_MODIFIED, HttpConditions.evaluate(null, null, null, LM_TEXT, TAG, LM));
        assertEquals(NOT_MODIFIED, HttpConditions.evaluate(null, null, null, "Sat, 03 Jan 2026 00:00:00 GMT", TAG, LM));
        assertEquals(PROCEED, HttpConditions.evaluate(null, null, null, "Thu, 01 Jan 2026 00:00:00 GMT", TAG, LM));
        assertEquals(PROCEED, HttpConditions.evaluate(null, null, null, "garbage", TAG, LM));
    }

    @Test
    void ifMatchAndIfUnmodifiedSince() {
        assertEquals(PRECONDITION_FAILED, HttpConditions.evaluate("\"other\"", null, null, null, TAG, LM));
        assertEquals(PRECONDITION_FAILED, HttpConditions.evaluate("W/\"abc\"", null, null, null, TAG, LM));
        assertEquals(PROCEED, HttpConditions.evaluate(TAG, null, null, null, TAG, LM));
        assertEquals(PRECONDITION_FAILED,
                HttpConditions.evaluate(null, "Thu, 01 Jan 2026 00:00:00 GMT", null, null, TAG, LM));
        assertEquals(PROCEED, HttpConditions.evaluate(null, LM_TEXT, null, null, TAG, LM));
    }

    @Test
    void ifRange() {
        assertTrue(HttpConditions.ifRangeHolds(null, TAG, LM));
        assertTrue(HttpConditions.ifRangeHolds(TAG, TAG, LM));
        assertFalse(HttpConditions.ifRangeHolds("\"old\"", TAG, LM));
        assertFalse(HttpConditions.ifRangeHolds("W/\"abc\"", TAG, LM));
        assertTrue(HttpConditions.ifRangeHolds(LM_TEXT, TAG, LM));
        assertFalse(HttpConditions.ifRangeHolds("Thu, 01 Jan 2026 00:00:00 GMT", TAG, LM));
    }
}
