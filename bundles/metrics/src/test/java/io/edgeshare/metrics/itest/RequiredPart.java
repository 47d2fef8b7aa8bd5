package io.edgeshare.metrics.itest;

/** The implementation of the probe's test component (see OSGI-INF/required-part.xml); it does nothing itself. */
public final class RequiredPart {
}
