package io.ovnmesos.testbed;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A throw-away public key infrastructure made with {@code ovs-pki}, as an OVN deployment would make
 * its own: one CA, and a private key and certificate per party (server, clients).
 */
public final class Pki {
  private final Path dir;
  private final Map<String, String> env;

  private Pki(Path dir, Map<String, String> env) {
    this.dir = dir;
    this.env = env;
  }

  /** A private key and the certificate the CA signed for it, both PEM. */
  public record Credentials(Path privateKey, Path certificate) {}

  /** Creates the CA under {@code dir}. */
  public static Pki create(Path dir, Map<String, String> env) {
    OvnCentral.mkdirs(dir);
    Pki pki = new Pki(dir, env);
    pki.ovsPki("init");
    return pki;
  }

  /** Issues a key and certificate for {@code name} (letters, digits, '-' and '_'). */
  public Credentials issue(String name) {
    if (!name.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException("certificate name must be [A-Za-z0-9_-]+, got " + name);
    }
    ovsPki("req+sign", name, "switch");
    return new Credentials(dir.resolve(name + "-privkey.pem"), dir.resolve(name + "-cert.pem"));
  }

  /** The CA certificate every party trusts. */
  public Path caCertificate() {
    return dir.resolve("pki/switchca/cacert.pem");
  }

  private void ovsPki(String... args) {
    // ovs-pki writes NAME-*.pem into its working directory and wants bare names.
    Command.of(env, Command.argv("ovs-pki", "--dir=" + dir.resolve("pki"), "--log=" + dir.resolve("pki.log"),
        List.of(args))).in(dir).check();
  }
}
