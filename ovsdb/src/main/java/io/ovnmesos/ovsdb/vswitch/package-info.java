/** Typed views of the local Open_vSwitch tables the agent side uses. */
package io.ovnmesos.ovsdb.vswitch;
