/**
 * Flow keys (VS-D2): the compact {@link dev.hostplane.vswitch.flow.FlowKey}, its field layout,
 * extraction from frames, and immutable {@link dev.hostplane.vswitch.flow.Match}es with masks.
 */
package dev.hostplane.vswitch.flow;
