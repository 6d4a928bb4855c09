package io.ovnmesos.framework.mesos;

/** The master could not be reached, refused a call, or broke a stream; callers retry with back-off. */
public class MesosException extends RuntimeException {
  public MesosException(String message) {
    super(message);
  }

  public MesosException(String message, Throwable cause) {
    super(message, cause);
  }
}
