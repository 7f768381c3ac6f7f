package io.grokgrid.engine.net;

/**
 * Loads the engine's Vector API versions of its kernels ({@code jdk.incubator.vector}, incubating
 * in Java 17: present only with {@code --add-modules jdk.incubator.vector}). Each has a plain-Java
 * version giving the same numbers, which the caller falls back to.
 */
final class VectorApi {
  private VectorApi() {}

  /** A new instance of {@code className}, or null where the module or the class is unavailable. */
  static <T> T load(String className, Class<T> type) {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return null;
    }
    try {
      return type.cast(Class.forName(className).getDeclaredConstructor().newInstance());
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }
}
