package io.edgeshare.api.cache;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** The list of content this gateway shares, already filtered by the running sharing policy. */
@ProviderType
public interface ContentCatalog {

    /** The items currently shared. */
    List<ContentItem> items();

    /** Increases whenever the list changes, so a reporter can send changes only. */
    long revision();
}
