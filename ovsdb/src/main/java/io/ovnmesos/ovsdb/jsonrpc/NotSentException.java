package io.ovnmesos.ovsdb.jsonrpc;

import io.ovnmesos.ovsdb.OvsdbConnectionException;

/** The request never left: the connection was closed before it could be written. Safe to send again. */
public final class NotSentException extends OvsdbConnectionException {
  public NotSentException(String message, Throwable cause) {
    super(message, cause);
  }
}
