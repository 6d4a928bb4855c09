/** The per-agent daemon that plumbs containers into OVN for the CNI plugin (see issue "agent side"). */
package io.ovnmesos.executorhook;
