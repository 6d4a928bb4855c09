package io.ovnmesos.ovsdb;

/** Base of every error the OVSDB client reports. */
public class OvsdbException extends RuntimeException {
  public OvsdbException(String message) {
    super(message);
  }

  public OvsdbException(String message, Throwable cause) {
    super(message, cause);
  }
}
