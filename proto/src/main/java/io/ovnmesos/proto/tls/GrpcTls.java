package io.ovnmesos.proto.tls;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS between the executor hooks and the framework: each side's PEM certificate and private key,
 * and the CA certificate that the other side's certificate must chain to. With a CA on the
 * framework's side, hooks must present a certificate (mutual TLS).
 *
 * <p>Peers are checked as OVS checks them: the chain to the CA, not a host name, since certificates
 * made with {@code ovs-pki} name no hosts. Whoever holds a certificate from the CA is trusted.
 */
public record GrpcTls(Path certificate, Path privateKey, Optional<Path> ca) {

  public GrpcTls {
    for (Path p : ca.isPresent() ? new Path[] {certificate, privateKey, ca.get()} : new Path[] {certificate, privateKey}) {
      if (!Files.isReadable(p)) {
        throw new IllegalArgumentException("cannot read TLS file " + p);
      }
    }
  }

  /**
   * The settings from three optional files: none means no TLS; a certificate needs its key and the
   * other way round; {@code what} names the flags in the error.
   */
  public static Optional<GrpcTls> of(Path certificate, Path privateKey, Path ca, String what) {
    if (certificate == null && privateKey == null) {
      if (ca != null) {
        throw new IllegalArgumentException(what + ": a CA certificate needs this side's certificate and private key too");
      }
      return Optional.empty();
    }
    if (certificate == null || privateKey == null) {
      throw new IllegalArgumentException(what + ": a certificate and its private key go together; one is missing");
    }
    return Optional.of(new GrpcTls(certificate, privateKey, Optional.ofNullable(ca)));
  }

  /** The server's context: requires client certificates from the CA when there is one. */
  public SslContext serverContext() throws SSLException {
    var b = GrpcSslContexts.forServer(certificate.toFile(), privateKey.toFile());
    if (ca.isPresent()) {
      b.trustManager(caTrust()).clientAuth(ClientAuth.REQUIRE);
    }
    return b.build();
  }

  /** The client's context: presents this side's certificate, and trusts servers whose chain leads to the CA. */
  public SslContext clientContext() throws SSLException {
    var b = GrpcSslContexts.forClient().keyManager(certificate.toFile(), privateKey.toFile());
    if (ca.isPresent()) {
      b.trustManager(caTrust());
    }
    return b.build();
  }

  private TrustManager caTrust() throws SSLException {
    try (InputStream in = Files.newInputStream(ca.orElseThrow())) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int n = 0;
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + n++, c);
      }
      TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      f.init(store);
      for (TrustManager tm : f.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          return new ChainOnly(x);
        }
      }
      throw new SSLException("no X.509 trust manager for " + ca.get());
    } catch (IOException | GeneralSecurityException e) {
      throw new SSLException("cannot load the CA certificate " + ca.get() + ": " + e.getMessage(), e);
    }
  }

  /** Checks the chain only: the engine's endpoint identification is not applied. */
  private static final class ChainOnly extends X509ExtendedTrustManager {
    private final X509TrustManager chain;

    ChainOnly(X509TrustManager chain) {
      this.chain = chain;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType) throws CertificateException {
      chain.checkClientTrusted(certs, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType) throws CertificateException {
      chain.checkServerTrusted(certs, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType, Socket socket) throws CertificateException {
      chain.checkClientTrusted(certs, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, Socket socket) throws CertificateException {
      chain.checkServerTrusted(certs, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType, SSLEngine engine) throws CertificateException {
      chain.checkClientTrusted(certs, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, SSLEngine engine) throws CertificateException {
      chain.checkServerTrusted(certs, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return chain.getAcceptedIssuers();
    }
  }
}
