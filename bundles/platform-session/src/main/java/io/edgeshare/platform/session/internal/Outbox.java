package io.edgeshare.platform.session.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * QoS 1 publishes within the broker's receive maximum: beyond it they wait here instead of being refused with
 * "too many publishes in progress". A publish made while disconnected, or still waiting when the connection is
 * lost, fails (its caller decides whether to retry).
 */
final class Outbox {
    private record Pending(String topic, MqttMessage message, CompletableFuture<Void> done) {
    }

    private final MqttAsyncClient client;
    private final IntSupplier limit;
    private final ScheduledExecutorService timers;
    private final Deque<Pending> queue = new ArrayDeque<>(); // guarded by this
    private int inFlight; // guarded by this

    Outbox(MqttAsyncClient client, IntSupplier limit, ScheduledExecutorService timers) {
        this.client = client;
        this.limit = limit;
        this.timers = timers;
    }

    CompletionStage<Void> publish(String topic, byte[] payload, boolean retained, MqttProperties props) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!client.isConnected()) {
            done.completeExceptionally(new IllegalStateException("not connected to the broker"));
            return done;
        }
        synchronized (this) {
            queue.add(new Pending(topic, new MqttMessage(payload, 1, retained, props), done));
        }
        pump();
        return done;
    }

    synchronized int waiting() {
        return queue.size() + inFlight;
    }

    /** The connection is gone: what waits here fails now. */
    void failWaiting(String why) {
        List<Pending> dropped;
        synchronized (this) {
            dropped = new ArrayList<>(queue);
            queue.clear();
        }
        dropped.forEach(p -> p.done().completeExceptionally(new IllegalStateException(why)));
    }

    private void pump() {
        while (true) {
            Pending p;
            synchronized (this) {
                if (queue.isEmpty() || inFlight >= Math.max(1, limit.getAsInt())) {
                    return;
                }
                p = queue.poll();
                inFlight++;
            }
            try {
                client.publish(p.topic(), p.message(), null, new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        finished();
                        p.done().complete(null);
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable e) {
                        finished();
                        p.done().completeExceptionally(e);
                    }
                });
            } catch (MqttException e) {
                synchronized (this) {
                    inFlight--;
                    if (e.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                        queue.addFirst(p); // Paho frees a slot a moment after the acknowledgement: try again soon
                    }
                }
                if (e.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                    retrySoon();
                    return;
                }
                p.done().completeExceptionally(e);
            } catch (RuntimeException e) {
                synchronized (this) {
                    inFlight--;
                }
                p.done().completeExceptionally(e);
            }
        }
    }

    private void finished() {
        synchronized (this) {
            inFlight--;
        }
        pump();
    }

    private void retrySoon() {
        try {
            timers.schedule(this::pump, 5, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            failWaiting("the session is closing");
        }
    }
}
