/** Typed views of the OVN Northbound tables ovn-mesos reads and writes. */
package io.ovnmesos.ovsdb.nb;
