package io.scanwatch.job.detect;

/**
 * A rule with a share condition (the network scan's dominant service, the distributed rules' busiest member): never
 * {@link #monotone()}, not even at a share of 1, which sets no condition, since a live change may lower it.
 *
 * @param <ACC> the rule's accumulator
 */
interface ShareRule<ACC> extends DetectionRule<ACC> {
    @Override
    default boolean monotone() {
        return false;
    }

    /** Of a window that did not fire: whether it would have but for the share. */
    @Override
    boolean withheld(ACC window);
}
