package io.ovnmesos.testcluster.recordio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Mesos' RecordIO framing of streamed events: each record is its length in bytes as decimal digits,
 * a newline, then the bytes, with nothing after (stout's {@code recordio::encode}).
 */
public final class RecordIo {
  /** Longest record accepted; Mesos has no limit, but a snapshot of a large cluster fits easily. */
  static final long MAX_RECORD = 256L * 1024 * 1024;

  private RecordIo() {}

  public static byte[] encode(byte[] record) {
    byte[] header = (record.length + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[header.length + record.length];
    System.arraycopy(header, 0, out, 0, header.length);
    System.arraycopy(record, 0, out, header.length, record.length);
    return out;
  }

  /** Reads records from a stream whose chunks need not align with them. */
  public static final class Reader {
    private final InputStream in;

    public Reader(InputStream in) {
      this.in = in;
    }

    /** The next record, or empty at a clean end of stream; a malformed or cut stream throws. */
    public Optional<byte[]> next() throws IOException {
      long length = 0;
      int digits = 0;
      while (true) {
        int b = in.read();
        if (b < 0) {
          if (digits == 0) {
            return Optional.empty();
          }
          throw new IOException("stream ended inside a record length");
        }
        if (b == '\n') {
          break;
        }
        if (b < '0' || b > '9' || ++digits > 19) {
          throw new IOException("malformed RecordIO length: byte " + b);
        }
        length = length * 10 + (b - '0');
      }
      if (digits == 0 || length > MAX_RECORD) {
        throw new IOException("bad RecordIO length " + length);
      }
      ByteArrayOutputStream buf = new ByteArrayOutputStream((int) length);
      byte[] chunk = new byte[8192];
      long left = length;
      while (left > 0) {
        int n = in.read(chunk, 0, (int) Math.min(chunk.length, left));
        if (n < 0) {
          throw new IOException("stream ended inside a record: " + left + " of " + length + " bytes missing");
        }
        buf.write(chunk, 0, n);
        left -= n;
      }
      return Optional.of(buf.toByteArray());
    }
  }
}
