/**
 * The classifier (VS-D3): flow rules with counters and timeouts, the control-side
 * {@link dev.hostplane.vswitch.classifier.FlowTable}, immutable tuple-space
 * {@link dev.hostplane.vswitch.classifier.Classifier} snapshots, the per-worker
 * {@link dev.hostplane.vswitch.classifier.ExactMatchCache}, and groups.
 */
package dev.hostplane.vswitch.classifier;
