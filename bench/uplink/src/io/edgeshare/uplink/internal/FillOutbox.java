package io.edgeshare.uplink.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

/**
 * Bench helper: puts N status reports into a gateway instance's outbox, as a long outage with frequent
 * reports would leave it, using the gateway's own outbox code (same files, same fsync per report).
 *
 * usage: FillOutbox INSTANCE_DIR DEVICE_ID COUNT
 */
public final class FillOutbox {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0], "data", "uplink", "outbox");
        String device = args[1];
        int count = Integer.parseInt(args[2]);
        String topic = "edgeshare/v1/gw/" + device + "/status";
        long t0 = System.nanoTime();
        try (DiskOutbox box = new DiskOutbox(dir, 64L << 20, 86_400_000L, Clock.systemUTC())) {
            for (int i = 0; i < count; i++) {
                String body = "{\"deviceId\":\"" + device + "\",\"msgId\":" + box.nextId() + ",\"seq\":0,\"ts\":\""
                        + Instant.now() + "\",\"bytesSaved\":" + (i * 1000L) + ",\"sources\":{\"cache\":{\"metrics\":"
                        + "{\"bytes.served\":" + (i * 1000L) + ",\"hit.ratio\":0.9}}}}";
                box.append(topic, body.getBytes(StandardCharsets.UTF_8), DiskOutbox.PRIORITIES - 2, 0);
            }
            System.out.printf("queued %d reports (%d bytes) in %.1f s%n", box.size(), box.bytes(),
                    (System.nanoTime() - t0) / 1e9);
        }
    }
}
