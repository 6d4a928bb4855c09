package io.ovnmesos.ovsdb;

/** A request got no answer within its time limit; the server may still execute it. */
public final class OvsdbTimeoutException extends OvsdbException {
  public OvsdbTimeoutException(String message) {
    super(message);
  }
}
