/** The {@code ovn-mesos} and {@code ovn-mesos-init} commands (see issue "topology"). */
package io.ovnmesos.cli;
