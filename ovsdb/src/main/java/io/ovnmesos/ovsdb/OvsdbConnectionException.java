package io.ovnmesos.ovsdb;

/**
 * The connection failed, closed, or sent something that is not OVSDB JSON-RPC. A request that fails
 * this way may or may not have been executed by the server.
 */
public class OvsdbConnectionException extends OvsdbException {
  public OvsdbConnectionException(String message) {
    super(message);
  }

  public OvsdbConnectionException(String message, Throwable cause) {
    super(message, cause);
  }
}
