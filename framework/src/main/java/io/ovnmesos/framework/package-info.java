/** The ovn-mesos Mesos framework: owns OVN Northbound state for tasks (see issue "framework"). */
package io.ovnmesos.framework;
