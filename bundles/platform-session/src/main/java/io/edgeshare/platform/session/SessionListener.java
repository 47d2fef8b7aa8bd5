package io.edgeshare.platform.session;

import org.osgi.annotation.versioning.ConsumerType;

/** Hears about the session's connection and this node's leadership. Called on the session's threads. */
@ConsumerType
public interface SessionListener {
    /** Connected and subscribed (again); retained messages of the subscriptions follow. */
    default void connected() {
    }

    /** This node became the leader ({@code true}) or stopped being it. */
    default void leadership(boolean leader) {
    }
}
