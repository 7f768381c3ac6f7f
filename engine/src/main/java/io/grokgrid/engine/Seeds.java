package io.grokgrid.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Seed derivation. Every random draw in grokgrid comes from a seed derived here from its parent
 * seed and a list of named parts, by SHA-256 over a canonical text form. The derivation depends
 * only on the values, never on scheduling, partitioning or the JVM, so a run's numbers are the
 * same wherever and in whatever order it is computed.
 *
 * <p>Doubles are written with {@link Double#toString(double)} (shortest round-trip form), so
 * {@code 1e-12} and {@code 1.0E-12} give the same seed.
 */
public final class Seeds {
  private Seeds() {}

  /** A 64-bit seed derived from {@code parent} and {@code parts} (Strings, numbers). */
  public static long derive(long parent, Object... parts) {
    StringBuilder sb = new StringBuilder().append(parent);
    for (Object part : parts) {
      sb.append('\u001f').append(canonical(part));
    }
    return hash64(sb.toString());
  }

  /** The first 8 bytes of SHA-256 of the UTF-8 text, big-endian. */
  public static long hash64(String text) {
    byte[] d = sha256(text);
    long h = 0;
    for (int i = 0; i < 8; i++) {
      h = (h << 8) | (d[i] & 0xffL);
    }
    return h;
  }

  /** Lower-case hex of the first {@code bytes} bytes of SHA-256 of the text. */
  public static String hex(String text, int bytes) {
    byte[] d = sha256(text);
    StringBuilder sb = new StringBuilder(bytes * 2);
    for (int i = 0; i < bytes; i++) {
      sb.append(Character.forDigit((d[i] >> 4) & 0xf, 16)).append(Character.forDigit(d[i] & 0xf, 16));
    }
    return sb.toString();
  }

  /** Canonical text of a seed part: integral numbers without a fraction, doubles round-trip. */
  public static String canonical(Object part) {
    if (part instanceof Double || part instanceof Float) {
      double v = ((Number) part).doubleValue();
      return Double.toString(v);
    }
    if (part instanceof Number n) {
      return Long.toString(n.longValue());
    }
    return String.valueOf(part);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }
}
