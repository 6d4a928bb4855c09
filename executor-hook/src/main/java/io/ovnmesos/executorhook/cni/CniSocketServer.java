package io.ovnmesos.executorhook.cni;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Unix socket the plugin talks to: owned by root, mode 0600, in a directory of mode 0700. One
 * call per connection, in the plugin's wire format (see ovn-mesos-plugin.c); calls run in parallel.
 */
public final class CniSocketServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CniSocketServer.class);
  static final String MAGIC = "OVNMESOS-CNI 1";
  private static final int MAX_REQUEST = 4 * 1024 * 1024 + 65536;

  private final Path path;
  private final ServerSocketChannel server;
  private final ExecutorService workers = Executors.newFixedThreadPool(16, r -> {
    Thread t = new Thread(r, "cni-call");
    t.setDaemon(true);
    return t;
  });
  private final Thread acceptor;
  private volatile boolean closed;

  public CniSocketServer(Path path, BiFunction<Map<String, String>, byte[], CniReply> handler) throws IOException {
    this.path = path;
    Files.createDirectories(path.getParent());
    if (path.getParent().getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(path.getParent(), PosixFilePermissions.fromString("rwx------"));
    }
    Files.deleteIfExists(path);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
    acceptor = new Thread(() -> accept(handler), "cni-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    LOG.info("CNI socket listening at {}", path);
  }

  public Path path() {
    return path;
  }

  private void accept(BiFunction<Map<String, String>, byte[], CniReply> handler) {
    while (!closed) {
      SocketChannel ch;
      try {
        ch = server.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("CNI socket accept failed: {}", e.getMessage());
        }
        continue;
      }
      workers.execute(() -> serve(ch, handler));
    }
  }

  private static void serve(SocketChannel ch, BiFunction<Map<String, String>, byte[], CniReply> handler) {
    try (ch; InputStream in = Channels.newInputStream(ch); OutputStream out = Channels.newOutputStream(ch)) {
      byte[] request = readAll(in);
      CniReply reply;
      try {
        Parsed p = parse(request);
        reply = handler.apply(p.env(), p.stdin());
      } catch (IllegalArgumentException e) {
        reply = CniReply.error(new CniException(CniException.DECODE_FAILURE,
            "malformed request from the plugin", e.getMessage()), "0.2.0");
      }
      out.write((reply.exit() + "\n").getBytes(StandardCharsets.US_ASCII));
      out.write(reply.stdout().getBytes(StandardCharsets.UTF_8));
      if (!reply.stdout().isEmpty() && !reply.stdout().endsWith("\n")) {
        out.write('\n');
      }
    } catch (IOException e) {
      LOG.warn("CNI call dropped: {}", e.getMessage());
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[65536];
    int n;
    while ((n = in.read(chunk)) > 0) {
      buf.write(chunk, 0, n);
      if (buf.size() > MAX_REQUEST) {
        throw new IOException("request larger than " + MAX_REQUEST + " bytes");
      }
    }
    return buf.toByteArray();
  }

  record Parsed(Map<String, String> env, byte[] stdin) {}

  /** Splits the request into the CNI variables and the configuration bytes. */
  static Parsed parse(byte[] request) {
    int end = -1;
    for (int i = 0; i + 1 < request.length; i++) {
      if (request[i] == '\n' && request[i + 1] == '\n') {
        end = i;
        break;
      }
    }
    if (end < 0) {
      throw new IllegalArgumentException("no end of the variables");
    }
    String[] lines = new String(request, 0, end, StandardCharsets.UTF_8).split("\n");
    if (!lines[0].equals(MAGIC)) {
      throw new IllegalArgumentException("unknown protocol " + CniRequestParser.printable(lines[0]));
    }
    Map<String, String> env = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int eq = lines[i].indexOf('=');
      if (eq <= 0 || !lines[i].startsWith("CNI_")) {
        throw new IllegalArgumentException("not a CNI variable: " + CniRequestParser.printable(lines[i]));
      }
      env.put(lines[i].substring(0, eq), lines[i].substring(eq + 1));
    }
    byte[] stdin = java.util.Arrays.copyOfRange(request, end + 2, request.length);
    return new Parsed(env, stdin);
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    workers.shutdownNow();
    Files.deleteIfExists(path);
  }
}
