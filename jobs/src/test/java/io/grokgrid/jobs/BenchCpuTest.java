package io.grokgrid.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The machine description every bench line carries, from a /proc/cpuinfo text. */
class BenchCpuTest {
  @TempDir
  Path dir;

  private String cpu(String text) throws IOException {
    Path f = dir.resolve("cpuinfo");
    Files.writeString(f, text);
    return Bench.cpu(f);
  }

  @Test
  void describesTheFirstCoreWithItsWidestVectorInstructions() throws IOException {
    String core0 = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\nmodel\t\t: 2\n"
        + "model name\t: AMD EPYC\nflags\t\t: fpu sse2 avx avx2 fma avx512f avx512dq\n\n";
    // the second core's lines must not override the first's
    String core1 = "processor\t: 1\ncpu family\t: 25\nmodel\t\t: 1\nmodel name\t: Other\nflags\t\t: fpu\n\n";
    assertEquals("AMD EPYC (family 26, model 2, avx512f)", cpu(core0 + core1));
    assertEquals("Intel(R) Xeon(R) (family 6, model 85, avx2)",
        cpu("cpu family\t: 6\nmodel\t\t: 85\nmodel name\t: Intel(R) Xeon(R)\nflags\t\t: sse2 avx2 fma\n"));
    // "avx512" alone (a prefix of other flags' names) is not avx512f
    assertEquals("X (family 6, model 1, no avx2)",
        cpu("cpu family\t: 6\nmodel\t\t: 1\nmodel name\t: X\nflags\t\t: sse2 avx avx512_bf16x\n"));
  }

  @Test
  void fallsBackToTheArchitectureWithoutAModelName() throws IOException {
    String arch = System.getProperty("os.arch");
    assertEquals(arch, cpu("processor\t: 0\nflags\t\t: avx2\n"));
    assertEquals(arch, Bench.cpu(dir.resolve("absent")));
  }
}
