package io.ovnmesos.framework.mesos;

import com.google.protobuf.Message;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A subscription's event stream: RecordIO records ({@code <length>\n<bytes>}, chunks not aligned
 * with records) each holding one event, in JSON or protobuf. Closing it ends the subscription.
 */
public final class EventStream<E extends Message> implements AutoCloseable {
  /** A snapshot of a very large cluster still fits; anything longer is a broken stream. */
  private static final int MAX_RECORD = 512 * 1024 * 1024;

  private final InputStream in;
  private final Supplier<? extends Message.Builder> builder;
  private final boolean protobuf;

  /** A stream whose records are JSON, or protobuf if {@code protobuf}. */
  public EventStream(InputStream in, Supplier<? extends Message.Builder> builder, boolean protobuf) {
    this.in = new BufferedInputStream(in, 64 * 1024);
    this.builder = builder;
    this.protobuf = protobuf;
  }

  /** The next event, or empty when the master ended the stream. */
  @SuppressWarnings("unchecked")
  public Optional<E> next() throws IOException {
    long length = 0;
    int b;
    int digits = 0;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        if (digits == 0) {
          return Optional.empty();
        }
        throw new IOException("the stream ended inside a record's length");
      }
      if (b < '0' || b > '9' || ++digits > 10) {
        throw new IOException("not a RecordIO stream: byte " + b + " in a record's length");
      }
      length = length * 10 + (b - '0');
    }
    if (digits == 0 || length > MAX_RECORD) {
      throw new IOException("not a RecordIO stream: record length " + length);
    }
    byte[] record = in.readNBytes((int) length);
    if (record.length < length) {
      throw new IOException("the stream ended inside a record");
    }
    if (!protobuf) {
      return Optional.of((E) MesosJson.parse(record, builder.get()).build());
    }
    try {
      return Optional.of((E) builder.get().mergeFrom(record).build());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IOException("a record is not a " + builder.get().getDescriptorForType().getFullName(), e);
    }
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException ignored) {
      // the subscription is over either way
    }
  }
}
