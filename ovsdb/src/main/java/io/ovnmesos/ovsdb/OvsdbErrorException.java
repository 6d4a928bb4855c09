package io.ovnmesos.ovsdb;

/** The server answered with an error; carries its {@code error} and {@code details} strings. */
public class OvsdbErrorException extends OvsdbException {
  private final String error;
  private final String details;

  public OvsdbErrorException(String context, String error, String details) {
    super(context + ": " + error + (details == null || details.isEmpty() ? "" : " (" + details + ")"));
    this.error = error;
    this.details = details;
  }

  /** The server's error string, e.g. {@code constraint violation}. */
  public String error() {
    return error;
  }

  /** The server's details, or null. */
  public String details() {
    return details;
  }
}
