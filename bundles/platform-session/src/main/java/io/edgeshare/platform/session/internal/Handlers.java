package io.edgeshare.platform.session.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.platform.session.MessageHandler;
import io.edgeshare.platform.session.PlatformSession;

/**
 * The handlers subscribed through the session, and delivery to them: a message goes to every handler whose filter
 * matches its topic, and is acknowledged once all of them ran their {@code done}.
 */
final class Handlers {
    private static final Logger LOG = LoggerFactory.getLogger(Handlers.class);

    /** One handler's filter; {@code wire} is what the broker is asked for ({@code $share/...} when shared). */
    record Entry(String filter, String wire, MessageHandler handler) {
    }

    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final boolean clustered;

    Handlers(boolean clustered) {
        this.clustered = clustered;
    }

    Entry add(String filter, boolean shared, MessageHandler handler) {
        MqttTopicValidator.validate(filter, true, true); // a bad filter fails here, not at the broker
        Entry e = new Entry(filter, shared && clustered ? "$share/" + PlatformSession.SHARE_GROUP + "/" + filter
                : filter, handler);
        entries.add(e);
        return e;
    }

    /** Removes the entry; @return whether no other entry still asks for its wire filter. */
    boolean remove(Entry e) {
        entries.remove(e);
        return entries.stream().noneMatch(o -> o.wire().equals(e.wire()));
    }

    /** The distinct filters to ask the broker for. */
    List<String> wireFilters() {
        Set<String> wire = new LinkedHashSet<>();
        entries.forEach(e -> wire.add(e.wire()));
        return new ArrayList<>(wire);
    }

    /** Gives the message to every matching handler; {@code ack} runs once when all of them are done. */
    void deliver(String topic, MqttMessage message, Runnable ack) {
        List<Entry> matching = new ArrayList<>();
        for (Entry e : entries) {
            if (MqttTopicValidator.isMatched(e.filter(), topic)) {
                matching.add(e);
            }
        }
        if (matching.isEmpty()) {
            ack.run();
            return;
        }
        AtomicInteger left = new AtomicInteger(matching.size());
        Runnable done = () -> {
            if (left.decrementAndGet() == 0) {
                ack.run();
            }
        };
        for (Entry e : matching) {
            Runnable mine = once(done);
            try {
                e.handler().message(topic, message, mine);
            } catch (RuntimeException x) {
                LOG.error("edgeshare.platform.session: a handler of {} failed on {}: {}", e.filter(), topic,
                        x.toString());
                mine.run(); // the message will not get better by redelivery
            }
        }
    }

    private static Runnable once(Runnable r) {
        java.util.concurrent.atomic.AtomicBoolean ran = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (ran.compareAndSet(false, true)) {
                r.run();
            }
        };
    }
}
