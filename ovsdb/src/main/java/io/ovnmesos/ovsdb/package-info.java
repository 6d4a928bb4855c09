/** A native OVSDB (RFC 7047) client with an in-memory cache (see issue "OVSDB client"). */
package io.ovnmesos.ovsdb;
