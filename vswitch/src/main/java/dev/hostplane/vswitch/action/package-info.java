/**
 * Flow actions (VS-D4): output, in_port, flood, all, controller, set-field with checksum fix-up,
 * push/pop VLAN, dec_ttl and group, executed against an
 * {@link dev.hostplane.vswitch.action.ActionContext}.
 */
package dev.hostplane.vswitch.action;
