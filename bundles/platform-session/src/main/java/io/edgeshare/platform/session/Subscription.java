package io.edgeshare.platform.session;

import org.osgi.annotation.versioning.ProviderType;

/** One handler's subscription. */
@ProviderType
public interface Subscription extends AutoCloseable {
    /** Subscribes again, so the broker sends the filter's retained messages again (a new leader re-reads). */
    void reread();

    /** Stops delivering to this handler (unsubscribes when no other handler uses the filter). */
    @Override
    void close();
}
