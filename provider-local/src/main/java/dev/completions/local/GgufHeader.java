package dev.completions.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What native code must never be handed blindly: the checks of a GGUF file's header, metadata and
 * tensor table, done in Java before llama.cpp sees the file. Reads the architecture, whether a chat
 * template is present, the trained context length, and the least size the tensor table implies, so
 * a file that is not GGUF, of an unknown version, or truncated is refused with a clear message
 * instead of crashing the JVM.
 *
 * @param architecture {@code general.architecture}
 * @param hasChatTemplate whether {@code tokenizer.chat_template} is present
 * @param contextLength {@code <arch>.context_length}, or 0 when absent
 * @param requiredBytes the size the tensor table implies the file has at least
 */
record GgufHeader(
    String architecture, boolean hasChatTemplate, long contextLength, long requiredBytes) {

  private static final int MAGIC = 0x46554747; // "GGUF" little-endian
  private static final long MAX_STRING = 64L << 20;

  /** Why a file cannot be used. */
  static final class InvalidModelException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidModelException(String message) {
      super(message);
    }
  }

  /**
   * Reads and checks the header of a GGUF file.
   *
   * @throws InvalidModelException when the file is not GGUF, of an unsupported version, or
   *     truncated
   * @throws IOException when the file cannot be read
   */
  static GgufHeader read(Path file) throws IOException, InvalidModelException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      Reader in = new Reader(channel, size);
      if (size < 24) {
        throw new InvalidModelException(
            file + " is not a GGUF model: it has only " + size + " bytes");
      }
      int magic = in.u32();
      if (magic != MAGIC) {
        throw new InvalidModelException(
            file + " is not a GGUF model (it does not start with \"GGUF\")");
      }
      int version = in.u32();
      if (version < 2 || version > 3) {
        throw new InvalidModelException(
            file + " has GGUF version " + version + "; versions 2 and 3 are supported");
      }
      long tensors = in.u64();
      long entries = in.u64();
      if (tensors < 0 || entries < 0 || tensors > size || entries > size) {
        throw new InvalidModelException(
            file + " has an implausible header (" + tensors + " tensors, " + entries + " entries)");
      }
      String architecture = null;
      boolean chatTemplate = false;
      long alignment = 32;
      java.util.Map<String, Long> numbers = new java.util.HashMap<>();
      for (long i = 0; i < entries; i++) {
        String key = in.string();
        int type = in.u32();
        if (type == 8) {
          String value = in.string();
          if (key.equals("general.architecture")) {
            architecture = value;
          } else if (key.equals("tokenizer.chat_template")) {
            chatTemplate = !value.isBlank();
          }
        } else if (type >= 0 && type <= 12 && type != 9) {
          numbers.put(key, in.scalar(type));
        } else if (type == 9) {
          in.skipArray();
        } else {
          throw new InvalidModelException(
              file + " has metadata of unknown type " + type + " (key " + key + ")");
        }
      }
      if (numbers.containsKey("general.alignment")) {
        alignment = Math.max(1, numbers.get("general.alignment"));
      }
      long end = 0;
      for (long i = 0; i < tensors; i++) {
        in.string();
        int dims = in.u32();
        if (dims < 0 || dims > 8) {
          throw new InvalidModelException(file + " has a tensor with " + dims + " dimensions");
        }
        long elements = 1;
        for (int d = 0; d < dims; d++) {
          elements = Math.multiplyExact(elements, in.u64());
        }
        int type = in.u32();
        long offset = in.u64();
        end = Math.max(end, offset + TensorSizes.bytes(type, elements));
      }
      long dataStart = (in.position() + alignment - 1) / alignment * alignment;
      long required = tensors == 0 ? in.position() : dataStart + end;
      if (architecture == null) {
        throw new InvalidModelException(file + " names no architecture (general.architecture)");
      }
      if (required > size) {
        throw new InvalidModelException(
            file + " is truncated: it has " + size + " bytes but its tensors need " + required);
      }
      long context = numbers.getOrDefault(architecture + ".context_length", 0L);
      return new GgufHeader(architecture, chatTemplate, context, required);
    } catch (ArithmeticException e) {
      throw new InvalidModelException(file + " has tensor sizes that overflow");
    }
  }

  /** Little-endian reads with bounds checks: running past the end means the file is truncated. */
  private static final class Reader {
    private final FileChannel channel;
    private final long size;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private long bufferStart;

    Reader(FileChannel channel, long size) throws IOException {
      this.channel = channel;
      this.size = size;
      buffer.limit(0);
    }

    long position() {
      return bufferStart + buffer.position();
    }

    private void need(long bytes) throws IOException, InvalidModelException {
      if (position() + bytes > size) {
        throw new InvalidModelException(
            "the file is truncated: its header runs past its end at byte " + size);
      }
      if (buffer.remaining() < bytes) {
        long at = position();
        buffer.clear();
        long read = at;
        int n;
        while (buffer.hasRemaining() && (n = channel.read(buffer, read)) > 0) {
          read += n;
        }
        buffer.flip();
        bufferStart = at;
      }
    }

    int u32() throws IOException, InvalidModelException {
      need(4);
      return buffer.getInt();
    }

    long u64() throws IOException, InvalidModelException {
      need(8);
      return buffer.getLong();
    }

    String string() throws IOException, InvalidModelException {
      long length = u64();
      if (length < 0 || length > MAX_STRING) {
        throw new InvalidModelException("a metadata string claims " + length + " bytes");
      }
      if (length > buffer.capacity()) {
        skip(length);
        return "";
      }
      need(length);
      byte[] bytes = new byte[(int) length];
      buffer.get(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    }

    long scalar(int type) throws IOException, InvalidModelException {
      int width = width(type);
      need(width);
      return switch (width) {
        case 1 -> buffer.get();
        case 2 -> buffer.getShort();
        case 4 -> type == 6 ? (long) buffer.getFloat() : buffer.getInt();
        default -> type == 12 ? (long) buffer.getDouble() : buffer.getLong();
      };
    }

    void skipArray() throws IOException, InvalidModelException {
      int type = u32();
      long count = u64();
      if (count < 0 || count > size) {
        throw new InvalidModelException("a metadata array claims " + count + " items");
      }
      if (type == 8) {
        for (long i = 0; i < count; i++) {
          skip(u64Checked());
        }
      } else if (type == 9) {
        throw new InvalidModelException("nested metadata arrays are not supported");
      } else {
        skip(Math.multiplyExact(count, (long) width(type)));
      }
    }

    private long u64Checked() throws IOException, InvalidModelException {
      long length = u64();
      if (length < 0 || length > MAX_STRING) {
        throw new InvalidModelException("a metadata string claims " + length + " bytes");
      }
      return length;
    }

    private void skip(long bytes) throws IOException, InvalidModelException {
      if (position() + bytes > size) {
        throw new InvalidModelException(
            "the file is truncated: its header runs past its end at byte " + size);
      }
      if (bytes <= buffer.remaining()) {
        buffer.position(buffer.position() + (int) bytes);
      } else {
        long at = position() + bytes;
        buffer.clear().limit(0);
        bufferStart = at;
      }
    }

    private static int width(int type) throws InvalidModelException {
      return switch (type) {
        case 0, 1, 7 -> 1;
        case 2, 3 -> 2;
        case 4, 5, 6 -> 4;
        case 10, 11, 12 -> 8;
        default -> throw new InvalidModelException("metadata of unknown type " + type);
      };
    }
  }
}
