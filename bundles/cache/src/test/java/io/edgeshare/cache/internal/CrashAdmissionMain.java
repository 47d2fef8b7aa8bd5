package io.edgeshare.cache.internal;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Random;

/**
 * Run in a separate JVM by {@link CrashRecoveryTest}, which kills it with SIGKILL: admits small items,
 * announcing each commit on stdout, then one very large item that never finishes.
 */
public final class CrashAdmissionMain {

    private CrashAdmissionMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int smallItems = Integer.parseInt(args[1]);
        DiskContentStore store = new DiskContentStore(dir, Long.MAX_VALUE / 4, 0, Clock.systemUTC());
        Random random = new Random(args[2].hashCode());
        for (int i = 0; i < smallItems; i++) {
            byte[] b = new byte[16 * 1024 + random.nextInt(64 * 1024)];
            random.nextBytes(b);
            String id = "small-" + args[2] + "-" + i;
            try (DiskContentStore.Admission a = store.begin(id, b.length)) {
                a.write(ByteBuffer.wrap(b));
                StoredItem item = a.commit(new DiskContentStore.Metadata(id, "video/mp4", null, null, null, null, null,
                        false), null, b.length);
                System.out.println("COMMITTED " + item.id() + " " + item.sha256());
            }
        }
        byte[] chunk = new byte[1 << 20];
        try (DiskContentStore.Admission large = store.begin("large-" + args[2], -1)) {
            for (long total = 0;; total += chunk.length) {
                random.nextBytes(chunk);
                large.write(ByteBuffer.wrap(chunk));
                System.out.println("LARGE " + large.written());
                Thread.sleep(2);
            }
        }
    }
}
