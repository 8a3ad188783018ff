package dev.completions.local;

/**
 * Bytes taken by a tensor of a ggml type; 0 for types this check does not know (then only offsets
 * count).
 */
final class TensorSizes {
  private TensorSizes() {}

  static long bytes(int type, long elements) {
    return switch (type) {
      case 0, 26 -> elements * 4; // F32, I32
      case 1, 25, 30 -> elements * 2; // F16, I16, BF16
      case 24 -> elements; // I8
      case 27, 28 -> elements * 8; // I64, F64
      case 2 -> blocks(elements, 32) * 18; // Q4_0
      case 3 -> blocks(elements, 32) * 20; // Q4_1
      case 6 -> blocks(elements, 32) * 22; // Q5_0
      case 7 -> blocks(elements, 32) * 24; // Q5_1
      case 8 -> blocks(elements, 32) * 34; // Q8_0
      case 10 -> blocks(elements, 256) * 84; // Q2_K
      case 11 -> blocks(elements, 256) * 110; // Q3_K
      case 12 -> blocks(elements, 256) * 144; // Q4_K
      case 13 -> blocks(elements, 256) * 176; // Q5_K
      case 14 -> blocks(elements, 256) * 210; // Q6_K
      default -> 0;
    };
  }

  private static long blocks(long elements, int blockSize) {
    return (elements + blockSize - 1) / blockSize;
  }
}
