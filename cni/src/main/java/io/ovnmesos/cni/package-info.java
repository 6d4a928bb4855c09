/** The CNI plugin {@code ovn-mesos-plugin} that the Mesos agent executes (see issue "agent side"). */
package io.ovnmesos.cni;
