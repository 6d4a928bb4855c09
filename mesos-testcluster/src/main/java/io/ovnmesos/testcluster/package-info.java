/** A local Mesos 1.11-compatible master and agents for tests and the demo (see issue "test cluster"). */
package io.ovnmesos.testcluster;
