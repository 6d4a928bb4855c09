package io.ovnmesos.framework.mesos;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.nio.charset.StandardCharsets;

/** Mesos' JSON form of its protobuf messages: proto field names, enums by name, unknown fields ignored. */
public final class MesosJson {
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().preservingProtoFieldNames()
      .omittingInsignificantWhitespace();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  private MesosJson() {}

  public static byte[] print(Message m) {
    try {
      return PRINTER.print(m).getBytes(StandardCharsets.UTF_8);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Parses {@code json} into {@code into}; a record Mesos cannot have sent becomes a MesosException. */
  public static <B extends Message.Builder> B parse(byte[] json, B into) {
    try {
      PARSER.merge(new String(json, StandardCharsets.UTF_8), into);
      return into;
    } catch (InvalidProtocolBufferException e) {
      throw new MesosException("the master sent JSON that is not a " + into.getDescriptorForType().getFullName()
          + ": " + e.getMessage(), e);
    }
  }
}
