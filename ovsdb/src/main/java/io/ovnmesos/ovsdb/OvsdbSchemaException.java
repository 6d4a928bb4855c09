package io.ovnmesos.ovsdb;

/**
 * A request does not fit the database schema (unknown table or column, wrong type, a value outside
 * its enum or range); found before anything is sent, so nothing changed.
 */
public final class OvsdbSchemaException extends OvsdbException {
  public OvsdbSchemaException(String message) {
    super(message);
  }
}
