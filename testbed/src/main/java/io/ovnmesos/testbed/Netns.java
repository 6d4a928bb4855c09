package io.ovnmesos.testbed;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** A named Linux network namespace made with {@code ip netns add}; closing it deletes it. */
public final class Netns implements AutoCloseable {
  private final String name;

  private Netns(String name) {
    this.name = name;
  }

  /** Creates the namespace and brings its loopback up. */
  public static Netns create(String name) {
    if (name.length() > 64 || !name.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("netns name must be 1-64 of [A-Za-z0-9_.-], got: " + name);
    }
    Command.of("ip", "netns", "add", name).check();
    Netns ns = new Netns(name);
    try {
      ns.ip("link", "set", "lo", "up");
    } catch (RuntimeException e) {
      ns.close();
      throw e;
    }
    return ns;
  }

  /** The names of all namespaces that {@code ip netns} knows. */
  public static List<String> list() {
    return Command.of("ip", "netns", "list").check().stdout().lines()
        .map(l -> l.split(" ", 2)[0])
        .filter(s -> !s.isBlank())
        .toList();
  }

  /** Deletes a namespace by name if it exists. */
  public static void delete(String name) {
    if (list().contains(name)) {
      Command.of("ip", "netns", "delete", name).run();
    }
  }

  /** The namespace's name. */
  public String name() {
    return name;
  }

  /** Runs {@code ip -n <this> args...} and checks it. */
  public CommandResult ip(String... args) {
    return Command.of(Command.argv("ip", "-n", name, args).toArray(String[]::new)).check();
  }

  /** Runs a program inside the namespace; the caller checks the result. */
  public CommandResult exec(Duration timeout, String... argv) {
    return Command.of(Command.argv("ip", "netns", "exec", name, Arrays.asList(argv))
        .toArray(String[]::new)).timeout(timeout).run();
  }

  /** Deletes the namespace; every interface inside it (and its veth peers) goes with it. */
  @Override
  public void close() {
    delete(name);
  }

  @Override
  public String toString() {
    return name;
  }
}
