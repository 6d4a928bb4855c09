package io.ovnmesos.ovsdb.jsonrpc;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * The PEM files of an {@code ssl:} connection, as OVS tools take them: {@code --private-key},
 * {@code --certificate} and {@code --ca-cert}. The server must present a certificate signed by the
 * CA; as with OVS, its name is not checked against the host.
 */
public record TlsFiles(Path privateKey, Path certificate, Path caCertificate) {

  /** Builds the client TLS context; a missing or unreadable file is named in the error. */
  public SslContext clientContext() {
    for (var f : new Object[][] {{"private key", privateKey}, {"certificate", certificate},
        {"CA certificate", caCertificate}}) {
      Path p = (Path) f[1];
      if (p == null || !Files.isReadable(p)) {
        throw new IllegalArgumentException(f[0] + " file " + p + " is missing or unreadable");
      }
    }
    try {
      return SslContextBuilder.forClient()
          .keyManager(certificate.toFile(), privateKey.toFile())
          .trustManager(caCertificate.toFile())
          // As OVS does: the peer must present a certificate signed by the CA; ovs-pki certificates
          // carry no host names or addresses to verify (Netty 4.2 would check them by default).
          .endpointIdentificationAlgorithm(null)
          .build();
    } catch (SSLException e) {
      throw new UncheckedIOException(new IOException("cannot load TLS files " + this + ": " + e.getMessage(), e));
    }
  }
}
