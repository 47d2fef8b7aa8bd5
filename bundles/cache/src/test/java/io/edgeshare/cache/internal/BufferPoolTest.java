package io.edgeshare.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class BufferPoolTest {

    @Test
    void neverAllocatesMoreThanItsBoundAndReusesWhatIsGivenBack() throws Exception {
        BufferPool pool = new BufferPool(3, 1024);
        List<ByteBuffer> taken = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ByteBuffer b = pool.take(10);
            assertTrue(b.isDirect());
            taken.add(b);
        }
        assertThrows(IOException.class, () -> pool.take(20), "a fourth waits, then gives up");
        assertEquals(3, pool.allocated());
        pool.give(taken.get(1));
        assertSame(taken.get(1), pool.take(10));
        assertEquals(3, pool.allocated());
    }
}
