package io.edgeshare.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

    private static ByteRange partial(String header, long length) {
        return assertInstanceOf(ByteRange.Partial.class, ByteRange.parse(header, length)).range();
    }

    @Test
    void closedOpenAndSuffixRanges() {
        assertEquals(new ByteRange(0, 99), partial("bytes=0-99", 1000));
        assertEquals(new ByteRange(500, 999), partial("bytes=500-", 1000));
        assertEquals(new ByteRange(900, 999), partial("bytes=-100", 1000));
        assertEquals(new ByteRange(0, 999), partial("bytes=-5000", 1000));
        assertEquals(new ByteRange(990, 999), partial("bytes=990-5000", 1000));
        assertEquals(new ByteRange(5, 5), partial("Bytes=5-5", 1000));
        assertEquals(100, partial("bytes=0-99", 1000).length());
        assertEquals("bytes 0-99/1000", partial("bytes=0-99", 1000).contentRange(1000));
    }

    @Test
    void hugeNumbersDoNotOverflow() {
        assertEquals(new ByteRange(10, 999), partial("bytes=10-99999999999999999999999", 1000));
        assertInstanceOf(ByteRange.Unsatisfiable.class, ByteRange.parse("bytes=99999999999999999999-", 1000));
    }

    @Test
    void unsatisfiable() {
        assertInstanceOf(ByteRange.Unsatisfiable.class, ByteRange.parse("bytes=1000-", 1000));
        assertInstanceOf(ByteRange.Unsatisfiable.class, ByteRange.parse("bytes=2000-3000", 1000));
        assertInstanceOf(ByteRange.Unsatisfiable.class, ByteRange.parse("bytes=-0", 1000));
        assertInstanceOf(ByteRange.Unsatisfiable.class, ByteRange.parse("bytes=0-", 0));
    }

    @Test
    void invalidOrMultipleRangesMeanWholeRepresentation() {
        for (String h : new String[] { null, "", "items=0-1", "bytes=", "bytes=abc", "bytes=5-1", "bytes=-", "bytes=1-2x",
                "bytes=0-1,5-6", "bytes=--1", "bytes= 1 - x" }) {
            assertInstanceOf(ByteRange.Full.class, ByteRange.parse(h, 1000), String.valueOf(h));
        }
    }
}
