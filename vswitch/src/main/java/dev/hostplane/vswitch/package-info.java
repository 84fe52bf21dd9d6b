/**
 * hostplane vswitch: a flow-table software switch (Hyper-Switch). Start with
 * {@link dev.hostplane.vswitch.VirtualSwitch} and {@link dev.hostplane.vswitch.SwitchConfig}; the
 * packet codec ({@code packet}), TUN/TAP access ({@code tap}), flow keys ({@code flow}), actions
 * ({@code action}), classifier ({@code classifier}), ports ({@code port}) and control applications
 * ({@code control}) live in sub-packages.
 */
package dev.hostplane.vswitch;
