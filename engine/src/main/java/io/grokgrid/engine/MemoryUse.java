package io.grokgrid.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One pack's estimated peak memory, by part, split into Java heap and ND4J off-heap bytes
 * (README, "Sweep spec"): the structures a trainer holds at once, counted from its code. Bytes
 * are doubles so that impossible sizes can be counted without overflowing.
 *
 * <p>{@code overflow} names the first size that does not fit a Java array or an int index
 * (more than {@link Integer#MAX_VALUE} elements), or is null: such a pack cannot run whatever
 * the memory.
 *
 * @param parts the structures, largest first
 * @param overflow the size that overflows an int, e.g. "n_train x dim = 20000000000", or null
 */
public record MemoryUse(List<Part> parts, String overflow) {

  /**
   * One structure.
   *
   * @param name short name for messages ("X", "W0 chunks", "Gram")
   * @param heapBytes bytes in Java arrays
   * @param offHeapBytes bytes in ND4J (native) buffers
   */
  public record Part(String name, double heapBytes, double offHeapBytes) {
    double total() {
      return heapBytes + offHeapBytes;
    }
  }

  public MemoryUse {
    List<Part> sorted = new ArrayList<>(parts);
    sorted.sort(Comparator.comparingDouble(Part::total).reversed());
    parts = List.copyOf(sorted);
  }

  /** Java heap bytes. */
  public double heapBytes() {
    return parts.stream().mapToDouble(Part::heapBytes).sum();
  }

  /** ND4J off-heap bytes. */
  public double offHeapBytes() {
    return parts.stream().mapToDouble(Part::offHeapBytes).sum();
  }

  /** Heap plus off-heap bytes. */
  public double totalBytes() {
    return heapBytes() + offHeapBytes();
  }

  /** The names of the (at most) two largest parts, e.g. "W0 chunks + X". */
  public String largest() {
    return String.join(" + ", parts.stream().limit(2).map(Part::name).toList());
  }

  /** Collects parts and the first int overflow. */
  public static final class Builder {
    private final List<Part> parts = new ArrayList<>();
    private String overflow;

    /** Adds a part of {@code heapElements} and {@code offHeapElements} of {@code bytes} each. */
    public Builder add(String name, double heapElements, double offHeapElements, int bytes) {
      parts.add(new Part(name, heapElements * bytes, offHeapElements * bytes));
      return this;
    }

    /** Records {@code what = elements} as an overflow if it exceeds an int. */
    public Builder index(String what, double elements) {
      if (overflow == null && elements > Integer.MAX_VALUE) {
        overflow = String.format(java.util.Locale.ROOT, "%s = %.0f", what, elements);
      }
      return this;
    }

    /** The estimate. */
    public MemoryUse build() {
      return new MemoryUse(parts, overflow);
    }
  }
}
